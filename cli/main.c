/* lockstep: the command-line entry point and subcommand table. */
#include "cli.h"

#include <stdio.h>
#include <string.h>

static const cli_cmd_t commands[] = {
	{"detect", "find coordinated accounts in posts and write the results", cmd_detect},
	{"synth", "write a synthetic scenario with planted campaigns", cmd_synth},
	{"eval", "compare a detect run's accounts with a truth file", cmd_eval},
	{"formats", "list the input formats and behaviours", cmd_formats},
	{"verify", "check an output folder against its manifest and re-run it", cmd_verify},
	{"keygen", "make an Ed25519 key pair to sign outputs (detect --sign)", cmd_keygen},
};

static void usage(FILE *f)
{
	fprintf(f, "lockstep %s: find coordinated inauthentic behaviour in social-media data\n\n"
	           "Usage: lockstep <command> [options] [args]\n\nCommands:\n",
	        LS_VERSION_STRING);
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\nRun 'lockstep <command> --help' for a command's options.\n\n"
	           "Exit codes:\n"
	           "  0  success\n"
	           "  1  the run failed (I/O error, out of memory, internal error)\n"
	           "  2  bad command line (unknown option, bad value)\n"
	           "  3  bad input data: undetectable format, or a malformed record under --strict\n"
	           "  4  verify: an output, the manifest or its signature differs (tampered)\n"
	           "  5  verify: an input is missing or is not the file that was analysed\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return LS_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return LS_EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("lockstep %s\n", LS_VERSION_STRING);
		return LS_EXIT_OK;
	}
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "lockstep: unknown command '%s'\n\n", argv[1]);
	usage(stderr);
	return LS_EXIT_USAGE;
}
