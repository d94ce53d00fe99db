/*
 * The lockstep command-line tool: one file per subcommand (cmd_<name>.c),
 * registered in the table in main.c. Options are declared as tables from
 * which --help is generated.
 */
#ifndef LS_CLI_H
#define LS_CLI_H

#include "lockstep.h"

#include <stdint.h>
#include <stdio.h>

/* Exit codes, documented in `lockstep --help`. */
enum {
	LS_EXIT_OK = 0,
	LS_EXIT_FAIL = 1,    /* the run failed (I/O, memory, internal error) */
	LS_EXIT_USAGE = 2,   /* bad command line */
	LS_EXIT_DATA = 3,    /* bad input data under --strict, or unreadable format */
	LS_EXIT_TAMPERED = 4,/* verify: an output, the manifest or its signature differs */
	LS_EXIT_INPUTS = 5   /* verify: an input is missing or changed */
};

typedef struct cli_opt {
	const char *name;    /* long name without "--" */
	char short_name;     /* 0 if none */
	const char *arg;     /* argument name for help, NULL for a flag */
	const char *help;
} cli_opt_t;

typedef struct cli_cmd {
	const char *name;
	const char *summary;
	int (*run)(int argc, char **argv);
} cli_cmd_t;

/* Iterates over argv[1..] (argv[0] is the subcommand). Returns the index of
 * the option in `opts` and sets *arg (NULL for flags); returns -1 at the end
 * of options, and -2 after printing an error for an unknown option or a
 * missing argument. Positional arguments are collected into pos[] (up to
 * maxpos; more is an error). "--" ends options. */
typedef struct cli_parser {
	int argc;
	char **argv;
	int i;
	const cli_opt_t *opts;
	size_t nopts;
	const char *cmd;
	char **pos;
	int npos, maxpos;
} cli_parser_t;

void cli_parser_init(cli_parser_t *p, const char *cmd, int argc, char **argv, const cli_opt_t *opts,
                     size_t nopts, char **pos, int maxpos);
int cli_next(cli_parser_t *p, const char **arg);
/* Prints "Usage: lockstep <cmd> <usage>", the description and the options. */
void cli_help(FILE *f, const char *cmd, const char *usage, const char *description,
              const cli_opt_t *opts, size_t nopts);

/* Strict number parsing; print an error naming the option and return -1. */
int cli_parse_i64(const char *opt, const char *s, int64_t min, int64_t max, int64_t *out);
int cli_parse_u64(const char *opt, const char *s, uint64_t *out);
int cli_parse_double(const char *opt, const char *s, double *out);

/* Diagnostics sink that prints to stderr ("lockstep: warning: ..."), and
 * prints at most `limit` warnings before summarising. */
typedef struct cli_diag {
	uint64_t warnings;
	uint64_t limit;
	int quiet;
	int progress;
} cli_diag_t;
void cli_diag_sink(void *user, ls_diag_level_t level, const char *msg);
/* Prints the context's error as "lockstep: <what>: <message>" and maps the
 * code to an exit code. */
int cli_report(ls_ctx_t *ctx, ls_error_t err, const char *what);

int cmd_detect(int argc, char **argv);
int cmd_synth(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_formats(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_keygen(int argc, char **argv);

#endif
