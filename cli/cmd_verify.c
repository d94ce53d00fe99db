/* lockstep verify: check an output folder against its manifest and re-run it. */
#include "cli.h"

#include <stdio.h>
#include <string.h>

enum { O_INPUTS, O_PUBKEY, O_NO_RERUN, O_THREADS, O_QUIET, O_HELP };
static const cli_opt_t opts[] = {
	[O_INPUTS] = {"inputs", 'i', "FILE", "where an input is now, in the manifest's order (repeat, or list the files after OUTDIR)"},
	[O_PUBKEY] = {"pubkey", 'k', "PEM", "require a valid manifest.sig made with this Ed25519 public key"},
	[O_NO_RERUN] = {"no-rerun", 0, NULL, "check hashes, signature and inputs only; do not re-run the analysis"},
	[O_THREADS] = {"threads", 'j', "N", "worker threads (default: one per CPU); outputs are identical for every N"},
	[O_QUIET] = {"quiet", 'q', NULL, "print only the verdict"},
	[O_HELP] = {"help", 'h', NULL, "show this help"},
};
#define NOPTS (sizeof opts / sizeof opts[0])

static const char *description =
	"Checks an output folder written by 'lockstep detect':\n"
	"  1. manifest.json is intact (its own checksum) and, when manifest.sig is there\n"
	"     or --pubkey is given, carries a valid Ed25519 signature;\n"
	"  2. every output has the SHA-256 the manifest records, and no file was added\n"
	"     or removed;\n"
	"  3. every input is where it was recorded (or where --inputs says) with the\n"
	"     recorded size and SHA-256;\n"
	"  4. re-running the analysis from those inputs and the recorded parameters\n"
	"     gives byte-identical outputs.\n"
	"It names the first file that differs, and the line (record) for a re-run.\n\n"
	"Exit codes:\n"
	"  0  verified\n"
	"  1  error (unreadable folder, out of memory, manifest of a newer lockstep)\n"
	"  2  bad command line\n"
	"  4  tampered: an output, the manifest or its signature differs, or the\n"
	"     re-run gives different outputs\n"
	"  5  an input is missing or is not the file that was analysed";

int cmd_verify(int argc, char **argv)
{
	char *pos[257];
	const char *inputs[256];
	size_t ni = 0;
	cli_parser_t ps;
	cli_parser_init(&ps, "verify", argc, argv, opts, NOPTS, pos, 257);
	ls_verify_options_t vo;
	ls_verify_options_init(&vo);
	int quiet = 0, k;
	int64_t threads = 0;
	const char *arg;
	while ((k = cli_next(&ps, &arg)) >= 0) {
		switch (k) {
		case O_INPUTS:
			if (ni == 256) {
				fprintf(stderr, "lockstep verify: too many --inputs\n");
				return LS_EXIT_USAGE;
			}
			inputs[ni++] = arg;
			break;
		case O_PUBKEY: vo.pubkey = arg; break;
		case O_NO_RERUN: vo.no_rerun = 1; break;
		case O_THREADS:
			if (cli_parse_i64("threads", arg, 1, 256, &threads))
				return LS_EXIT_USAGE;
			break;
		case O_QUIET: quiet = 1; break;
		case O_HELP:
			cli_help(stdout, "verify", "OUTDIR [--inputs FILE...] [--pubkey PEM]", description,
			         opts, NOPTS);
			return LS_EXIT_OK;
		}
	}
	if (k == -2)
		return LS_EXIT_USAGE;
	if (ps.npos < 1) {
		fprintf(stderr, "lockstep verify: OUTDIR is required (see 'lockstep verify --help')\n");
		return LS_EXIT_USAGE;
	}
	for (int i = 1; i < ps.npos; i++) {
		if (ni == 256) {
			fprintf(stderr, "lockstep verify: too many inputs\n");
			return LS_EXIT_USAGE;
		}
		inputs[ni++] = pos[i];
	}
	vo.inputs = inputs;
	vo.n_inputs = ni;
	ls_ctx_t *ctx = ls_ctx_new();
	if (ctx == NULL)
		return LS_EXIT_FAIL;
	cli_diag_t diag = {0, 20, quiet, !quiet};
	ls_ctx_set_diag(ctx, cli_diag_sink, &diag);
	ls_ctx_set_threads(ctx, (int)threads);
	ls_verify_report_t rep;
	ls_error_t err = ls_verify_run(pos[0], &vo, &rep, ctx);
	int rc;
	if (err) {
		rc = cli_report(ctx, err, "verify");
		if (rc == LS_EXIT_DATA)
			rc = LS_EXIT_FAIL;
	} else if (rep.status == LS_VERIFY_OK) {
		printf("verified: %s%s%s\n", pos[0],
		       rep.signed_ ? ", signed by Ed25519 key " : "", rep.signed_ ? rep.signer : "");
		if (rep.signed_ && vo.pubkey == NULL && !quiet)
			printf("(the signature was checked against the key it carries; pass --pubkey to "
			       "require a key you trust)\n");
		if (vo.no_rerun && !quiet)
			printf("(hashes and inputs only: the analysis was not re-run)\n");
		rc = LS_EXIT_OK;
	} else {
		printf("%s: %s\n", rep.status == LS_VERIFY_INPUTS ? "INPUT CHANGED" : "TAMPERED",
		       rep.detail);
		rc = rep.status == LS_VERIFY_INPUTS ? LS_EXIT_INPUTS : LS_EXIT_TAMPERED;
	}
	ls_ctx_free(ctx);
	return rc;
}
