/* lockstep keygen: make an Ed25519 key pair for signing manifests. */
#include "cli.h"

#include <stdio.h>

enum { O_PUB, O_HELP };
static const cli_opt_t opts[] = {
	[O_PUB] = {"public", 'p', "PEM", "write the public key here (default: PRIVATE.pub)"},
	[O_HELP] = {"help", 'h', NULL, "show this help"},
};
#define NOPTS (sizeof opts / sizeof opts[0])

static const char *description =
	"Writes a new Ed25519 private key to PRIVATE (PEM, mode 0600; an existing file\n"
	"is never overwritten) and its public key beside it. Sign a run with\n"
	"'lockstep detect --sign PRIVATE ...'; readers check it with\n"
	"'lockstep verify --pubkey PUBLIC OUTDIR'. Publish the public key; keep the\n"
	"private one offline. OpenSSL does the same: openssl genpkey -algorithm ed25519\n"
	"-out PRIVATE; openssl pkey -in PRIVATE -pubout -out PUBLIC.";

int cmd_keygen(int argc, char **argv)
{
	char *pos[1];
	cli_parser_t ps;
	cli_parser_init(&ps, "keygen", argc, argv, opts, NOPTS, pos, 1);
	const char *pub = NULL, *arg;
	int k;
	while ((k = cli_next(&ps, &arg)) >= 0) {
		switch (k) {
		case O_PUB: pub = arg; break;
		case O_HELP:
			cli_help(stdout, "keygen", "PRIVATE [--public PUBLIC]", description, opts, NOPTS);
			return LS_EXIT_OK;
		}
	}
	if (k == -2)
		return LS_EXIT_USAGE;
	if (ps.npos != 1) {
		fprintf(stderr, "lockstep keygen: PRIVATE is required (see 'lockstep keygen --help')\n");
		return LS_EXIT_USAGE;
	}
	char def[4096];
	if (pub == NULL) {
		if ((size_t)snprintf(def, sizeof def, "%s.pub", pos[0]) >= sizeof def) {
			fprintf(stderr, "lockstep keygen: file name too long\n");
			return LS_EXIT_USAGE;
		}
		pub = def;
	}
	ls_ctx_t *ctx = ls_ctx_new();
	if (ctx == NULL)
		return LS_EXIT_FAIL;
	ls_error_t err = ls_keygen(pos[0], pub, ctx);
	int rc = LS_EXIT_OK;
	if (err)
		rc = cli_report(ctx, err, "keygen");
	else
		printf("private key: %s\npublic key: %s\n", pos[0], pub);
	ls_ctx_free(ctx);
	return rc;
}
