/* scratch-dir.h — a test's own directory for the files a program reads
 * and writes: made fresh, its paths named, a file's bytes checked, and
 * removed with whatever the program left in it. */
#pragma once

#include <glib.h>

/* A new directory under the temporary directory, named @prefix-XXXXXX. */
char *scratch_dir (const char *prefix);

/* @name in @dir. */
char *scratch_path (const char *dir, const char *name);

/* Removes every file in @dir, then @dir. */
void scratch_remove (const char *dir);

/* Asserts that the file at @path holds exactly @want: its length, then
 * its text (so a NUL byte or a cut file cannot pass). */
void assert_file_is (const char *path, const char *want);
