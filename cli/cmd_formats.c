/* lockstep formats: the input formats and behaviours this build knows. */
#include "cli.h"

#include <string.h>

int cmd_formats(int argc, char **argv)
{
	(void)argv;
	if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		printf("Usage: lockstep formats\n\nLists the input formats (for --format) and the "
		       "behaviours (for --behaviours).\n");
		return LS_EXIT_OK;
	}
	if (argc > 1) {
		fprintf(stderr, "lockstep formats: takes no arguments\n");
		return LS_EXIT_USAGE;
	}
	printf("Input formats (detected from the header; --format overrides):\n");
	for (const char *const *f = ls_formats(); *f; f++)
		printf("  %-16s %s\n", *f, ls_format_description(*f));
	ls_params_t def;
	ls_params_init(&def);
	printf("\nBehaviours (--behaviours; * = on by default):\n");
	for (const char *const *b = ls_behaviours(); *b; b++)
		printf("  %-15s%c %s\n", *b, (def.behaviours & ls_behaviour_bit(*b)) ? '*' : ' ',
		       ls_behaviour_description(*b));
	return LS_EXIT_OK;
}
