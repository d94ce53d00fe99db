/*
 * Synchronised ad launches: advertisers whose ads are created on the same
 * days, day after day. Pages run by one operator are launched together:
 * the same office books the week's ads for many pages in one sitting.
 *
 * The object of an ad is its creation day in UTC, key "YYYY-MM-DD" (kept as
 * a readable label); its time is the ad's creation time. The UTC day runs
 * from 03:00 to 03:00 Moscow time, so one working day in Saint Petersburg
 * (where the IRA worked) falls into one object; the readers' creation times
 * carry US Pacific offsets, which the day ignores. Two pages co-act on a day
 * when both created an ad in it; the significance stage's ads null
 * (score/null_ads.h) counts each (page, day) once and asks whether two
 * pages share more launch days than pages with their number of launch days
 * in the same months would by chance. Only ads (post->ad) take part.
 *
 * Why a day and not a sliding window of W hours: a day bin is an object,
 * so the same configuration null as every ad behaviour applies (distinct
 * objects shared against page degrees and object sizes), and a day is the
 * resolution at which the release's pages are booked (most pages create ads
 * in batches within minutes to hours, many days apart). Cost O(1) per ad.
 */
#include "core/dataset.h"
#include "extract/behaviour.h"

static int extract(const ls_post_t *p, const ls_extract_env_t *env, ls_emit_fn emit, void *user)
{
	(void)env;
	if (p->ad == NULL)
		return 0;
	char key[32];
	ls_time_format(p->time, key, sizeof key); /* "YYYY-MM-DDTHH:MM:SSZ": the day is 10 bytes */
	return emit(user, key, 10, 1);
}

const ls_behaviour_def_t ls_bh_adlaunch = {
	"adlaunch", "ads created on the same UTC day by different advertisers (ads only)", extract,
};
