/* Option tables: parsing and generated --help for every subcommand. */
#include "cli.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

void cli_parser_init(cli_parser_t *p, const char *cmd, int argc, char **argv, const cli_opt_t *opts,
                     size_t nopts, char **pos, int maxpos)
{
	memset(p, 0, sizeof *p);
	p->argc = argc;
	p->argv = argv;
	p->i = 1;
	p->opts = opts;
	p->nopts = nopts;
	p->cmd = cmd;
	p->pos = pos;
	p->maxpos = maxpos;
}

static int add_pos(cli_parser_t *p, char *a)
{
	if (p->npos >= p->maxpos) {
		fprintf(stderr, "lockstep %s: unexpected argument '%s' (see --help)\n", p->cmd, a);
		return -2;
	}
	p->pos[p->npos++] = a;
	return 0;
}

int cli_next(cli_parser_t *p, const char **arg)
{
	*arg = NULL;
	while (p->i < p->argc) {
		char *a = p->argv[p->i++];
		if (strcmp(a, "--") == 0) {
			while (p->i < p->argc)
				if (add_pos(p, p->argv[p->i++]))
					return -2;
			return -1;
		}
		if (a[0] != '-' || a[1] == '\0') { /* "-" alone is stdin: positional */
			if (add_pos(p, a))
				return -2;
			continue;
		}
		const char *name = NULL, *val = NULL;
		size_t nlen = 0;
		size_t k;
		if (a[1] == '-') {
			name = a + 2;
			const char *eq = strchr(name, '=');
			nlen = eq ? (size_t)(eq - name) : strlen(name);
			if (eq)
				val = eq + 1;
			for (k = 0; k < p->nopts; k++)
				if (strlen(p->opts[k].name) == nlen && strncmp(p->opts[k].name, name, nlen) == 0)
					break;
		} else {
			for (k = 0; k < p->nopts; k++)
				if (p->opts[k].short_name && p->opts[k].short_name == a[1])
					break;
			if (a[2] != '\0')
				val = a + 2;
		}
		if (k == p->nopts) {
			fprintf(stderr, "lockstep %s: unknown option '%s' (see --help)\n", p->cmd, a);
			return -2;
		}
		if (p->opts[k].arg == NULL) {
			if (val) {
				fprintf(stderr, "lockstep %s: option '--%s' takes no value\n", p->cmd, p->opts[k].name);
				return -2;
			}
			return (int)k;
		}
		if (val == NULL) {
			if (p->i >= p->argc) {
				fprintf(stderr, "lockstep %s: option '--%s' needs a value (%s)\n", p->cmd,
				        p->opts[k].name, p->opts[k].arg);
				return -2;
			}
			val = p->argv[p->i++];
		}
		*arg = val;
		return (int)k;
	}
	return -1;
}

void cli_help(FILE *f, const char *cmd, const char *usage, const char *description,
              const cli_opt_t *opts, size_t nopts)
{
	fprintf(f, "Usage: lockstep %s %s\n\n%s\n\nOptions:\n", cmd, usage, description);
	for (size_t k = 0; k < nopts; k++) {
		char left[64];
		if (opts[k].short_name)
			snprintf(left, sizeof left, "-%c, --%s%s%s", opts[k].short_name, opts[k].name,
			         opts[k].arg ? " " : "", opts[k].arg ? opts[k].arg : "");
		else
			snprintf(left, sizeof left, "    --%s%s%s", opts[k].name, opts[k].arg ? " " : "",
			         opts[k].arg ? opts[k].arg : "");
		fprintf(f, "  %-28s %s\n", left, opts[k].help);
	}
}

int cli_parse_i64(const char *opt, const char *s, int64_t min, int64_t max, int64_t *out)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || end == s || *end != '\0' || v < min || v > max) {
		fprintf(stderr, "lockstep: --%s: '%s' is not a whole number in [%" PRId64 ", %" PRId64 "]\n",
		        opt, s, min, max);
		return -1;
	}
	*out = v;
	return 0;
}

int cli_parse_u64(const char *opt, const char *s, uint64_t *out)
{
	char *end;
	errno = 0;
	if (*s == '-') {
		fprintf(stderr, "lockstep: --%s: '%s' must not be negative\n", opt, s);
		return -1;
	}
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || end == s || *end != '\0') {
		fprintf(stderr, "lockstep: --%s: '%s' is not a whole number\n", opt, s);
		return -1;
	}
	*out = v;
	return 0;
}

int cli_parse_double(const char *opt, const char *s, double *out)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || end == s || *end != '\0' || v != v) {
		fprintf(stderr, "lockstep: --%s: '%s' is not a number\n", opt, s);
		return -1;
	}
	*out = v;
	return 0;
}

void cli_diag_sink(void *user, ls_diag_level_t level, const char *msg)
{
	cli_diag_t *d = user;
	if (level == LS_DIAG_PROGRESS) {
		if (d && d->progress)
			fprintf(stderr, "lockstep: %s\n", msg);
		return;
	}
	if (d) {
		d->warnings++;
		if (d->quiet || d->warnings > d->limit) {
			if (!d->quiet && d->warnings == d->limit + 1)
				fprintf(stderr, "lockstep: further warnings not shown (the run's counts include them)\n");
			return;
		}
	}
	fprintf(stderr, "lockstep: warning: %s\n", msg);
}

int cli_report(ls_ctx_t *ctx, ls_error_t err, const char *what)
{
	const char *m = ls_ctx_message(ctx);
	fprintf(stderr, "lockstep: %s: %s\n", what, m && *m ? m : ls_error_name(err));
	switch (err) {
	case LS_EPARSE:
	case LS_EFORMAT:
		return LS_EXIT_DATA;
	case LS_EINVAL:
		return LS_EXIT_USAGE;
	default:
		return LS_EXIT_FAIL;
	}
}
