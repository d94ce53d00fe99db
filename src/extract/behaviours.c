/*
 * The behaviour table. A behaviour is one file (bh_<name>.c) and one row
 * here; its index in this table is its bit in ls_params_t.behaviours and the
 * seed of its object hashes, so rows are only ever appended.
 */
#include "core/analysis.h"
#include "extract/behaviour.h"

#include <string.h>

extern const ls_behaviour_def_t ls_bh_coretweet, ls_bh_cotweet, ls_bh_colink, ls_bh_cohashtag,
	ls_bh_comention, ls_bh_coreply, ls_bh_neardup, ls_bh_fastretweet, ls_bh_hashtagseq,
	ls_bh_synchrony, ls_bh_cotargeting, ls_bh_adlaunch;

const ls_behaviour_def_t *const ls_behaviour_table[] = {
	[LS_BH_CORETWEET] = &ls_bh_coretweet,
	[LS_BH_COTWEET] = &ls_bh_cotweet,
	[LS_BH_COLINK] = &ls_bh_colink,
	[LS_BH_COHASHTAG] = &ls_bh_cohashtag,
	[LS_BH_COMENTION] = &ls_bh_comention,
	[LS_BH_COREPLY] = &ls_bh_coreply,
	[LS_BH_NEARDUP] = &ls_bh_neardup,
	[LS_BH_FASTRETWEET] = &ls_bh_fastretweet,
	[LS_BH_HASHTAGSEQ] = &ls_bh_hashtagseq,
	[LS_BH_SYNCHRONY] = &ls_bh_synchrony,
	[LS_BH_COTARGETING] = &ls_bh_cotargeting,
	[LS_BH_ADLAUNCH] = &ls_bh_adlaunch,
};
const size_t ls_behaviour_table_size = sizeof ls_behaviour_table / sizeof ls_behaviour_table[0];

_Static_assert(sizeof ls_behaviour_table / sizeof ls_behaviour_table[0] == LS_BH_ADLAUNCH + 1,
               "every behaviour index has a table row");
_Static_assert(LS_BH_ADLAUNCH < LS_MAX_BEHAVIOURS, "behaviour bits fit LS_MAX_BEHAVIOURS");

/* Must list the table's names in order (tests/unit/test_link.c checks). */
static const char *const names[] = {
	"coretweet", "cotweet", "colink", "cohashtag", "comention", "coreply",
	"neardup", "fastretweet", "hashtagseq", "synchrony", "cotargeting", "adlaunch", NULL,
};

const char *const *ls_behaviours(void)
{
	return names;
}

const char *ls_behaviour_name(uint32_t i)
{
	return i < ls_behaviour_table_size ? ls_behaviour_table[i]->name : "?";
}

uint64_t ls_behaviour_bit(const char *name)
{
	for (size_t i = 0; i < ls_behaviour_table_size; i++)
		if (strcmp(ls_behaviour_table[i]->name, name) == 0)
			return UINT64_C(1) << i;
	return 0;
}

const char *ls_behaviour_description(const char *name)
{
	for (size_t i = 0; i < ls_behaviour_table_size; i++)
		if (strcmp(ls_behaviour_table[i]->name, name) == 0)
			return ls_behaviour_table[i]->description;
	return NULL;
}
