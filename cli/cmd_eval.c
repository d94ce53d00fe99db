/* lockstep eval: compare a detect run's accounts with a truth file. */
#include "cli.h"

#include <inttypes.h>
#include <string.h>

enum { O_TRUTH, O_QUIET, O_HELP };
static const cli_opt_t opts[] = {
	[O_TRUTH] = {"truth", 't', "FILE", "truth file: account,label[,category] (label 1 = operation, 0 = organic)"},
	[O_QUIET] = {"quiet", 'q', NULL, "write OUTDIR/eval.json only, print nothing"},
	[O_HELP] = {"help", 'h', NULL, "show this help"},
};
#define NOPTS (sizeof opts / sizeof opts[0])

static const char *description =
	"Compares the accounts of a detect run (OUTDIR/accounts.csv: flagged = in a\n"
	"reported cluster, score = strength) with a truth file, prints precision,\n"
	"recall, F1 and AUC and the coverage of each truth category, and writes\n"
	"OUTDIR/eval.json. Accounts absent from the run count as not flagged.";

int cmd_eval(int argc, char **argv)
{
	char *pos[1];
	cli_parser_t ps;
	cli_parser_init(&ps, "eval", argc, argv, opts, NOPTS, pos, 1);
	const char *truth = NULL;
	int quiet = 0, k;
	const char *arg;
	while ((k = cli_next(&ps, &arg)) >= 0) {
		switch (k) {
		case O_TRUTH: truth = arg; break;
		case O_QUIET: quiet = 1; break;
		case O_HELP:
			cli_help(stdout, "eval", "--truth FILE OUTDIR", description, opts, NOPTS);
			return LS_EXIT_OK;
		}
	}
	if (k == -2)
		return LS_EXIT_USAGE;
	if (truth == NULL || ps.npos != 1) {
		fprintf(stderr, "lockstep eval: %s (see 'lockstep eval --help')\n",
		        truth == NULL ? "--truth FILE is required" : "OUTDIR is required");
		return LS_EXIT_USAGE;
	}
	ls_ctx_t *ctx = ls_ctx_new();
	if (ctx == NULL)
		return LS_EXIT_FAIL;
	ls_eval_t *ev = NULL;
	ls_error_t err = ls_eval_run(&ev, pos[0], truth, ctx);
	int rc = LS_EXIT_OK;
	if (err) {
		rc = cli_report(ctx, err, "eval");
	} else if (!quiet) {
		ls_eval_summary_t s;
		ls_eval_get_summary(ev, &s);
		printf("truth: %" PRIu64 " accounts (%" PRIu64 " operation, %" PRIu64 " organic; %" PRIu64
		       " not in the run)\n",
		       s.truth_accounts, s.positives, s.negatives, s.absent);
		printf("operation accounts found: %" PRIu64 ", missed: %" PRIu64
		       "; organic accounts flagged: %" PRIu64 "\n",
		       s.true_positives, s.false_negatives, s.false_positives);
		printf("precision %.3f  recall %.3f  F1 %.3f  AUC %.3f\n", s.precision, s.recall, s.f1, s.auc);
		if (s.clustered_labelled)
			printf("clusters vs categories (%" PRIu64 " clustered accounts): purity %.3f, "
			       "purity of clusters >= 10: %.3f, NMI %.3f\n",
			       s.clustered_labelled, s.purity, s.purity_min10, s.nmi);
		for (size_t i = 0; i < ls_eval_category_count(ev); i++) {
			const char *name;
			uint64_t n, fl;
			ls_eval_category(ev, i, &name, &n, &fl);
			printf("  %-20s %6" PRIu64 " accounts, %6" PRIu64 " flagged\n", name, n, fl);
		}
		printf("written: %s/eval.json\n", pos[0]);
	}
	ls_eval_free(ev);
	ls_ctx_free(ctx);
	return rc;
}
