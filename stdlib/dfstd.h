/* dfstd.h — what every file of dfstd, the standard library of stages,
 * shares.  The stages' prototypes are not here: they are in the header dfc
 * generates from std/NAME.df (files.h for std/files.df), so the C can
 * never drift from the .df a user imports. */
#pragma once

/* The library is built with hidden visibility: only what is marked
 * DFSTD_API (the stages and their state functions) is exported from
 * libdfstd.so. */
#if defined(__GNUC__) || defined(__clang__)
#define DFSTD_API __attribute__ ((visibility ("default")))
#else
#define DFSTD_API
#endif
