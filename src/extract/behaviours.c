/*
 * The behaviour table. A behaviour is one file (bh_<name>.c) and one row
 * here; its index in this table is its bit in ls_params_t.behaviours and the
 * seed of its object hashes, so rows are only ever appended.
 */
#include "core/analysis.h"
#include "extract/behaviour.h"

#include <string.h>

extern const ls_behaviour_def_t ls_bh_coretweet, ls_bh_cotweet, ls_bh_colink, ls_bh_cohashtag,
	ls_bh_comention, ls_bh_coreply;

const ls_behaviour_def_t *const ls_behaviour_table[] = {
	&ls_bh_coretweet, &ls_bh_cotweet, &ls_bh_colink, &ls_bh_cohashtag, &ls_bh_comention,
	&ls_bh_coreply,
};
const size_t ls_behaviour_table_size = sizeof ls_behaviour_table / sizeof ls_behaviour_table[0];

static const char *const names[] = {
	"coretweet", "cotweet", "colink", "cohashtag", "comention", "coreply", NULL,
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
