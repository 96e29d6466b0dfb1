/* lexer.re — the tokens of a .df file, for re2c.
 *
 * The whole source is in memory and NUL-terminated at its length.  re2c's
 * "sentinel with bounds checks" method (re2c:eof = 0) compares the cursor
 * against the limit only when it reads a NUL, so scanning costs nothing
 * extra and an embedded NUL byte is an ordinary (bad) character rather than
 * a silent end of file.
 *
 * The main scanner is lex_raw(); strings, comments and C blocks each have a
 * small scanner of their own that also validates UTF-8 and counts lines.
 * lexer_next() adds the one-token lookahead that folds `; else`, and keeps
 * the bookkeeping the parser's error messages use.
 */
#include <math.h>
#include <string.h>
#include "lexer.h"

/*!re2c
  re2c:define:YYCTYPE = "unsigned char";
  re2c:define:YYCURSOR = "lx->cursor";
  re2c:define:YYLIMIT = "lx->limit";
  re2c:define:YYMARKER = "lx->marker";
  re2c:yyfill:enable = 0;
  re2c:eof = 0;
  re2c:indent:string = "  ";

  cont       = [\x80-\xbf];
  utf8_multi = [\xc2-\xdf] cont
             | [\xe0] [\xa0-\xbf] cont
             | [\xe1-\xec\xee\xef] cont cont
             | [\xed] [\x80-\x9f] cont
             | [\xf0] [\x90-\xbf] cont cont
             | [\xf1-\xf3] cont cont cont
             | [\xf4] [\x80-\x8f] cont cont;
  bad_byte   = [\x80-\xff];

  dec        = [0-9]+;
  hex        = "0" [xX] [0-9a-fA-F]+;
  exponent   = [eE] [+-]? dec;
  float      = dec "." dec exponent? | dec exponent;
  unit       = "us" | "ms" | "s" | "m" | "h";
  word_char  = [0-9A-Za-z_];
  ident      = [A-Za-z_] word_char*;
  /* Anything that starts like a number and goes on like a word: `1.5s`,
   * `1h30m`, `0x`, `5sec`.  Longer than any valid number it overlaps, so
   * longest-match picks it exactly when the number is malformed. */
  number_junk = "-"? [0-9] word_char* ("." word_char+)*;
*/

/* Report a lexical error.  The token being made is marked, so that the
 * parser does not echo the error as a syntax error (the text the error
 * swallowed or skipped makes the tokens around it look wrong).  Bad
 * escapes lose nothing and do not mark. */
#define lex_error(lx, code, loc, ...)                                   \
  ((lx)->lexical_error = TRUE, diag_report ((lx)->program->diags, (code), (loc), __VA_ARGS__))

/* Text the lexer skipped (a stray character, the rest of an unterminated
 * string or comment) is missing from the tree, so the semantic checks
 * would report its absence: they do not run.  A malformed number or a bad
 * escape loses nothing (a harmless value stands in) and does not stop them. */
#define lex_lost_text(lx) ((lx)->program->tree_incomplete = TRUE)

/* ------------------------------------------------------------ positions */

static void
lex_newline (Lexer *lx)
{
  lx->line++;
  lx->line_start = lx->cursor;
}

static guint32
column_of (const Lexer *lx, const char *p)
{
  return (guint32) (p - lx->line_start) + 1;
}

/* The location of a token that starts at `tok` on the current line and
 * ends at the cursor. */
static void
token_loc (const Lexer *lx, const char *tok, YYLTYPE *loc)
{
  guint32 col = column_of (lx, tok);
  gsize len = (gsize) (lx->cursor - tok);
  loc->loc.line = lx->line;
  loc->loc.col = col;
  loc->loc.len = len > 0 ? (guint32) MIN (len, G_MAXUINT32 - col) : 1;
  loc->loc.file = lx->file;
  loc->end_line = lx->line;
  loc->end_col = col + (guint32) MIN (len, G_MAXUINT32 - col);
  loc->offset = (gsize) (tok - lx->start);
}

/* A Loc for `len` bytes at `p` on the current line, for reports. */
static Loc
here (const Lexer *lx, const char *p, gsize len)
{
  Loc loc = { lx->line, column_of (lx, p), len > 0 ? (guint32) MIN (len, 1000) : 1, lx->file };
  return loc;
}

/* ---------------------------------------------------------- bad input */

/* A run of bad bytes or characters is reported once, at its first byte:
 * a binary file should not bury the first real problem in thousands. */
static gboolean
starts_bad_run (Lexer *lx, const char *p)
{
  gboolean first = p != lx->bad_run_end;
  lx->bad_run_end = lx->cursor;
  return first;
}

static void
report_bad_utf8 (Lexer *lx, const char *p)
{
  if (starts_bad_run (lx, p))
    lex_error (lx, DIAG_BAD_UTF8, here (lx, p, 1),
               "invalid UTF-8 byte 0x%02X", (guint) (guchar) *p);
}

static void
report_nul (Lexer *lx, const char *p)
{
  if (starts_bad_run (lx, p))
    lex_error (lx, DIAG_BAD_CHAR, here (lx, p, 1), "unexpected NUL byte");
}

/* A character outside strings and comments that starts no token. */
static void
report_bad_char (Lexer *lx, const char *p)
{
  if (!starts_bad_run (lx, p))
    return;
  gsize len = (gsize) (lx->cursor - p);
  guchar c = (guchar) *p;
  if (c == '\'')
    lex_error (lx, DIAG_BAD_CHAR, here (lx, p, 1), "unexpected character \"'\"");
  else if (len == 1 && c > 0x20 && c < 0x7f)
    lex_error (lx, DIAG_BAD_CHAR, here (lx, p, 1), "unexpected character '%c'", c);
  else
    lex_error (lx, DIAG_BAD_CHAR, here (lx, p, len),
               "unexpected character U+%04X", (guint) g_utf8_get_char (p));
}

/* -------------------------------------------------------------- comments */

static void
skip_line_comment (Lexer *lx)
{
  for (;;)
    {
      const char *tok = lx->cursor;
      /*!re2c
        $          { return; }
        "\n"       { lx->cursor = tok; return; }
        [\x00]     { report_nul (lx, tok); continue; }
        utf8_multi { continue; }
        bad_byte   { report_bad_utf8 (lx, tok); continue; }
        *          { continue; }
      */
    }
}

/* `open` is the slash of the opening "/ *", where an unterminated comment is
 * reported. */
static void
skip_block_comment (Lexer *lx, const char *open)
{
  Loc open_loc = here (lx, open, 2);
  for (;;)
    {
      const char *tok = lx->cursor;
      /*!re2c
        $          { lex_error (lx, DIAG_UNTERMINATED_COMMENT, open_loc,
                                "unterminated comment");
                     lex_lost_text (lx);
                     return; }
        "*" "/"    { return; }
        "\n"       { lex_newline (lx); continue; }
        [\x00]     { report_nul (lx, tok); continue; }
        utf8_multi { continue; }
        bad_byte   { report_bad_utf8 (lx, tok); continue; }
        *          { continue; }
      */
    }
}

/* -------------------------------------------------------------- C blocks */

/* `%{ ... %}` or `%header{ ... %}`: the text between the braces, verbatim.
 * It ends at the first `%}`, wherever that is (a C string holding "%}"
 * has to be split).  Unterminated: reported at the opening, and the text
 * runs to the end of the file. */
static int
lex_cblock (Lexer *lx, const char *open, gboolean header, YYSTYPE *value, YYLTYPE *loc)
{
  token_loc (lx, open, loc);
  AstCBlock *block = arena_new0 (lx->program->arena, AstCBlock);
  block->header = header;
  block->loc = loc->loc;
  block->text_line = lx->line;
  const char *text = lx->cursor;
  const char *text_end = lx->limit;
  for (;;)
    {
      const char *tok = lx->cursor;
      /*!re2c
        $          { lex_error (lx, DIAG_UNTERMINATED_CBLOCK, block->loc,
                                "unterminated C block: no '%%}' after '%s'",
                                header ? "%header{" : "%{");
                     lex_lost_text (lx);
                     goto done; }
        "%}"       { text_end = tok; goto done; }
        "\n"       { lex_newline (lx); continue; }
        [\x00]     { report_nul (lx, tok); continue; }
        utf8_multi { continue; }
        bad_byte   { report_bad_utf8 (lx, tok); continue; }
        *          { continue; }
      */
    }
done:
  block->text = arena_strndup (lx->program->arena, text, (gsize) (text_end - text));
  block->len = (gsize) (text_end - text);
  loc->end_line = lx->line;
  loc->end_col = column_of (lx, lx->cursor);
  value->cblock = block;
  return TOK_CBLOCK;
}

/* --------------------------------------------------------------- strings */

static AstLiteral *
literal_new (Lexer *lx, LitKind kind, const char *tok, const YYLTYPE *loc)
{
  AstLiteral *lit = arena_new0 (lx->program->arena, AstLiteral);
  lit->kind = kind;
  lit->loc = loc->loc;
  lit->text = arena_strndup (lx->program->arena, tok, (gsize) (lx->cursor - tok));
  return lit;
}

/* A backslash before a space, a control character or a non-ASCII one.
 * Before the end of the line it is part of the unterminated string. */
static void
report_lone_backslash (Lexer *lx, const char *tok)
{
  if (tok + 1 == lx->limit || tok[1] == '\n')
    return;
  diag_report (lx->program->diags, DIAG_BAD_ESCAPE, here (lx, tok, 1),
               "unknown escape sequence: a backslash must be followed by n, t, r, 0, \\, \", ' or x");
}

static int
hex_value (char c)
{
  return g_ascii_xdigit_value (c);
}

/* A bad escape: report it, keep the character that follows literally so
 * the string stays as close as possible to what was meant. */
static void
report_bad_escape (Lexer *lx, const char *tok)
{
  if (tok[1] == 'x')
    diag_report (lx->program->diags, DIAG_BAD_ESCAPE, here (lx, tok, 2),
                 "'\\x' must be followed by two hexadecimal digits");
  else
    diag_report (lx->program->diags, DIAG_BAD_ESCAPE, here (lx, tok, 2),
                 "unknown escape sequence '\\%c'", tok[1]);
}

/* A string literal, single-line, with the escapes \n \t \r \0 \\ \" \'
 * \xHH.  Unterminated (a newline or the end before the closing quote):
 * reported at the opening quote, and the string ends at the line end. */
static int
lex_string (Lexer *lx, const char *open, YYSTYPE *value, YYLTYPE *loc)
{
  GString *s = lx->scratch;
  g_string_truncate (s, 0);
  for (;;)
    {
      const char *tok = lx->cursor;
      /*!re2c
        $          { goto unterminated; }
        "\n"       { lx->cursor = tok; goto unterminated; }
        "\""       { goto done; }
        "\\n"      { g_string_append_c (s, '\n'); continue; }
        "\\t"      { g_string_append_c (s, '\t'); continue; }
        "\\r"      { g_string_append_c (s, '\r'); continue; }
        "\\0"      { g_string_append_c (s, '\0'); continue; }
        "\\\\"     { g_string_append_c (s, '\\'); continue; }
        "\\\""     { g_string_append_c (s, '"'); continue; }
        "\\'"      { g_string_append_c (s, '\''); continue; }
        "\\x" [0-9a-fA-F]{2}
                   { g_string_append_c (s, (char) (hex_value (tok[2]) * 16 + hex_value (tok[3])));
                     continue; }
        "\\" [\x21-\x7e]
                   { report_bad_escape (lx, tok);
                     g_string_append_c (s, tok[1]);
                     continue; }
        "\\"       { report_lone_backslash (lx, tok); continue; }
        [\x00]     { report_nul (lx, tok); continue; }
        utf8_multi { g_string_append_len (s, tok, lx->cursor - tok); continue; }
        bad_byte   { report_bad_utf8 (lx, tok); g_string_append_c (s, *tok); continue; }
        *          { g_string_append_c (s, *tok); continue; }
      */
    }
unterminated:
  lex_error (lx, DIAG_UNTERMINATED_STRING, here (lx, open, 1),
             "unterminated string: no closing '\"' on this line");
  lex_lost_text (lx);
done:
  token_loc (lx, open, loc);
  AstLiteral *lit = literal_new (lx, LIT_STRING, open, loc);
  lit->str = arena_strndup (lx->program->arena, s->str, s->len);
  lit->str_len = s->len;
  value->lit = lit;
  return TOK_STRING;
}

/* --------------------------------------------------------------- numbers */

/* The digits of a number literal after its sign: `base` 10 or 16.  FALSE
 * when the value does not fit in 64 bits. */
static gboolean
parse_magnitude (const char *p, const char *end, guint base, guint64 *out)
{
  guint64 v = 0;
  for (; p < end; p++)
    {
      guint d = (guint) hex_value (*p);
      if (v > (G_MAXUINT64 - d) / base)
        return FALSE;
      v = v * base + d;
    }
  *out = v;
  return TRUE;
}

/* `007` reads as octal to a C programmer and as decimal to everyone else:
 * refuse to guess. */
static gboolean
check_leading_zero (Lexer *lx, const AstLiteral *lit, const char *digits, const char *end)
{
  if (end - digits > 1 && digits[0] == '0')
    {
      lex_error (lx, DIAG_BAD_NUMBER, lit->loc,
                 "'%s' has a leading zero (octal numbers are not supported)", lit->text);
      return FALSE;
    }
  return TRUE;
}

static void
report_out_of_range (Lexer *lx, const AstLiteral *lit)
{
  lex_error (lx, DIAG_BAD_NUMBER, lit->loc, "'%s' is out of range", lit->text);
}

/* An integer, decimal or 0x hex, optionally negative; it must fit in 64
 * bits (down to -2^63 when negative). */
static int
lex_int (Lexer *lx, const char *tok, gboolean is_hex, YYSTYPE *value, YYLTYPE *loc)
{
  token_loc (lx, tok, loc);
  AstLiteral *lit = literal_new (lx, LIT_INT, tok, loc);
  lit->negative = tok[0] == '-';
  const char *digits = tok + (lit->negative ? 1 : 0) + (is_hex ? 2 : 0);
  guint64 magnitude = 0;
  gboolean fits = parse_magnitude (digits, lx->cursor, is_hex ? 16 : 10, &magnitude);
  if (fits && lit->negative && magnitude > (guint64) G_MAXINT64 + 1)
    fits = FALSE;
  if (!fits)
    {
      report_out_of_range (lx, lit);
      magnitude = 1;
    }
  else if (!is_hex && !check_leading_zero (lx, lit, digits, lx->cursor))
    magnitude = 1;
  lit->magnitude = magnitude;
  value->lit = lit;
  return TOK_INT;
}

static int
lex_float (Lexer *lx, const char *tok, YYSTYPE *value, YYLTYPE *loc)
{
  token_loc (lx, tok, loc);
  AstLiteral *lit = literal_new (lx, LIT_FLOAT, tok, loc);
  lit->f = g_ascii_strtod (lit->text, NULL);
  if (isinf (lit->f))
    {
      report_out_of_range (lx, lit);
      lit->f = 1.0;
    }
  value->lit = lit;
  return TOK_FLOAT;
}

/* Microseconds per unit; `unit` points just past the digits. */
static gint64
unit_us (const char *unit, const char *end)
{
  gsize len = (gsize) (end - unit);
  if (len == 2)
    return unit[0] == 'u' ? 1 : 1000;
  switch (unit[0])
    {
    case 's':
      return G_USEC_PER_SEC;
    case 'm':
      return 60 * (gint64) G_USEC_PER_SEC;
    default:
      return 3600 * (gint64) G_USEC_PER_SEC;
    }
}

/* A duration: an integer with a unit, converted to microseconds. */
static int
lex_duration (Lexer *lx, const char *tok, YYSTYPE *value, YYLTYPE *loc)
{
  token_loc (lx, tok, loc);
  AstLiteral *lit = literal_new (lx, LIT_DURATION, tok, loc);
  gboolean negative = tok[0] == '-';
  const char *digits = tok + (negative ? 1 : 0);
  const char *unit = digits;
  while (g_ascii_isdigit (*unit))
    unit++;
  guint64 n = 0;
  gint64 per_unit = unit_us (unit, lx->cursor);
  if (!parse_magnitude (digits, unit, 10, &n) || n > (guint64) (G_MAXINT64 / per_unit))
    {
      report_out_of_range (lx, lit);
      lit->duration_us = G_USEC_PER_SEC;
    }
  else if (!check_leading_zero (lx, lit, digits, unit))
    lit->duration_us = G_USEC_PER_SEC;
  else
    lit->duration_us = (negative ? -1 : 1) * (gint64) n * per_unit;
  value->lit = lit;
  return TOK_DURATION;
}

static gboolean
is_unit (const char *p, gsize len)
{
  return (len == 1 && strchr ("smh", *p) != NULL)
         || (len == 2 && (p[0] == 'u' || p[0] == 'm') && p[1] == 's');
}

/* Say why a number-like word is not a number. */
static void
report_number_junk (Lexer *lx, const AstLiteral *lit, const char *digits)
{
  const char *p = digits;
  while (g_ascii_isdigit (*p))
    p++;
  if (p == digits + 1 && digits[0] == '0' && (*p == 'x' || *p == 'X'))
    {
      lex_error (lx, DIAG_BAD_NUMBER, lit->loc, "malformed hexadecimal number '%s'", lit->text);
      return;
    }
  if (*p == '.')
    {
      while (*p == '.' || g_ascii_isdigit (*p))
        p++;
      if (g_ascii_isalpha (*p))
        lex_error (lx, DIAG_BAD_NUMBER, lit->loc,
                   "'%s': a duration is a whole number of a unit (us, ms, s, m or h)", lit->text);
      else
        lex_error (lx, DIAG_BAD_NUMBER, lit->loc, "malformed number '%s'", lit->text);
      return;
    }
  const char *unit = p;
  while (g_ascii_isalpha (*p))
    p++;
  if (p > unit && is_unit (unit, (gsize) (p - unit)))
    lex_error (lx, DIAG_BAD_NUMBER, lit->loc,
               "'%s': a duration has exactly one unit (us, ms, s, m or h)", lit->text);
  else if (p > unit)
    lex_error (lx, DIAG_BAD_NUMBER, lit->loc,
               "'%s': unknown duration unit (use us, ms, s, m or h)", lit->text);
  else
    lex_error (lx, DIAG_BAD_NUMBER, lit->loc, "malformed number '%s'", lit->text);
}

/* Report a malformed number and return a harmless token of the kind it
 * most resembles, so the parser does not pile errors on top. */
static int
lex_number_junk (Lexer *lx, const char *tok, YYSTYPE *value, YYLTYPE *loc)
{
  token_loc (lx, tok, loc);
  const char *digits = tok + (tok[0] == '-' ? 1 : 0);
  AstLiteral *lit = literal_new (lx, LIT_INT, tok, loc);
  report_number_junk (lx, lit, lit->text + (digits - tok));
  value->lit = lit;
  gboolean hex = digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X');
  if (!hex && g_ascii_isalpha (lx->cursor[-1]))
    {
      lit->kind = LIT_DURATION;
      lit->duration_us = G_USEC_PER_SEC;
      return TOK_DURATION;
    }
  if (!hex && strchr (lit->text, '.') != NULL)
    {
      lit->kind = LIT_FLOAT;
      lit->f = 1.0;
      return TOK_FLOAT;
    }
  lit->magnitude = 1;
  return TOK_INT;
}

/* ------------------------------------------------------------ main scanner */

static int
lex_ident (Lexer *lx, const char *tok, YYSTYPE *value, YYLTYPE *loc)
{
  token_loc (lx, tok, loc);
  value->sym = program_intern (lx->program, tok, (gsize) (lx->cursor - tok));
  return TOK_IDENT;
}

/* A keyword carries its name as an IDENT does: the option words
 * (`limit`, `error`, `node`, …) are keywords where the grammar expects an
 * option and names everywhere else (the parser's `name` rule). */
static int
lex_keyword (Lexer *lx, const char *tok, int token, YYSTYPE *value, YYLTYPE *loc)
{
  lex_ident (lx, tok, value, loc);
  return token;
}

/* Punctuation and keywords: just the location. */
static int
lex_simple (Lexer *lx, const char *tok, int token, YYLTYPE *loc)
{
  token_loc (lx, tok, loc);
  return token;
}

static int
scan (Lexer *lx, YYSTYPE *value, YYLTYPE *loc)
{
  for (;;)
    {
      const char *tok = lx->cursor;
#define KW(name) return lex_keyword (lx, tok, TOK_##name, value, loc)
      /*!re2c
        $            { return lex_simple (lx, tok, TOK_END, loc); }
        [ \t\r\f\v]+ { continue; }
        "\n"         { lex_newline (lx); continue; }
        "//"         { skip_line_comment (lx); continue; }
        "/" "*"      { skip_block_comment (lx, tok); continue; }
        "%{"         { return lex_cblock (lx, tok, FALSE, value, loc); }
        "%header{"   { return lex_cblock (lx, tok, TRUE, value, loc); }
        "\""         { return lex_string (lx, tok, value, loc); }

        "type"          { KW (TYPE); }
        "stage"         { KW (STAGE); }
        "emits"         { KW (EMITS); }
        "async"         { KW (ASYNC); }
        "blocking"      { KW (BLOCKING); }
        "timeout"       { KW (TIMEOUT); }
        "limit"         { KW (LIMIT); }
        "retry"         { KW (RETRY); }
        "backoff"       { KW (BACKOFF); }
        "table"         { KW (TABLE); }
        "default"       { KW (DEFAULT); }
        "flow"          { KW (FLOW); }
        "visibility"    { KW (VISIBILITY); }
        "none"          { KW (NONE); }
        "initial"       { KW (INITIAL); }
        "all"           { KW (ALL); }
        "repeat"        { KW (REPEAT); }
        "every"         { KW (EVERY); }
        "on"            { KW (ON); }
        "error"         { KW (ERROR_KW); }
        "fail"          { KW (FAIL); }
        "par"           { KW (PAR); }
        "if"            { KW (IF); }
        "else"          { KW (ELSE); }
        "graph"         { KW (GRAPH); }
        "halt_on_error" { KW (HALT_ON_ERROR); }
        "node"          { KW (NODE); }
        "tasks"         { KW (TASKS); }
        "queue"         { KW (QUEUE); }
        "remote"        { KW (REMOTE); }
        "batch"         { KW (BATCH); }
        "within"        { KW (WITHIN); }
        "cron"          { KW (CRON); }
        "halt"          { KW (HALT); }
        "skip"          { KW (SKIP); }
        "after"         { KW (AFTER); }
        "state"         { KW (STATE); }
        "zip"           { KW (ZIP); }
        "main"          { KW (MAIN); }
        "import"        { KW (IMPORT); }
        "run"           { KW (RUN); }
        "restart"       { KW (RESTART); }
        "failure"       { KW (FAILURE); }
        "max"           { KW (MAX); }
        "true"          { KW (TRUE_KW); }
        "false"         { KW (FALSE_KW); }
        "const"         { KW (CONST); }
        "volatile"      { KW (VOLATILE); }
        "signed"        { KW (SIGNED); }
        "unsigned"      { KW (UNSIGNED); }
        "short"         { KW (SHORT); }
        "long"          { KW (LONG); }
        "char"          { KW (CHAR); }
        "int"           { KW (INT_KW); }
        "float"         { KW (FLOAT_KW); }
        "double"        { KW (DOUBLE); }
        "void"          { KW (VOID); }
        "_Bool"         { KW (BOOL_KW); }
        "struct"        { KW (STRUCT); }
        "union"         { KW (UNION); }
        "enum"          { KW (ENUM); }
        "_"             { KW (UNDERSCORE); }
        ident           { return lex_ident (lx, tok, value, loc); }

        "-"? dec        { return lex_int (lx, tok, FALSE, value, loc); }
        "-"? hex        { return lex_int (lx, tok, TRUE, value, loc); }
        "-"? float      { return lex_float (lx, tok, value, loc); }
        "-"? dec unit   { return lex_duration (lx, tok, value, loc); }
        number_junk     { return lex_number_junk (lx, tok, value, loc); }

        "->"            { return lex_simple (lx, tok, TOK_ARROW, loc); }
        "=>"            { return lex_simple (lx, tok, TOK_FATARROW, loc); }
        ".."            { return lex_simple (lx, tok, TOK_DOTDOT, loc); }
        [{}()[\];,=:*!] { return lex_simple (lx, tok, (guchar) *tok, loc); }

        [\x00]          { report_nul (lx, tok); lex_lost_text (lx); continue; }
        utf8_multi      { report_bad_char (lx, tok); lex_lost_text (lx); continue; }
        bad_byte        { report_bad_utf8 (lx, tok); lex_lost_text (lx); continue; }
        *               { report_bad_char (lx, tok); lex_lost_text (lx); continue; }
      */
#undef KW
    }
}

static int
lex_raw (Lexer *lx, YYSTYPE *value, YYLTYPE *loc)
{
  memset (value, 0, sizeof *value);
  int token = scan (lx, value, loc);
  loc->after_error = lx->lexical_error;
  lx->lexical_error = FALSE;
  return token;
}

/* ---------------------------------------------------------- bookkeeping */

static const char *
decl_keyword_name (int token)
{
  switch (token)
    {
    case TOK_TYPE:
      return "type";
    case TOK_TABLE:
      return "table";
    case TOK_FLOW:
      return "flow";
    case TOK_GRAPH:
      return "graph";
    case TOK_MAIN:
      return "main";
    case TOK_IMPORT:
      return "import";
    default:
      return NULL;
    }
}

/* Name an opening bracket after what it opens: the declaration for a
 * top-level brace, `par` for a par block, `zip` for its list. */
static void
push_open (Lexer *lx, int token, const YYLTYPE *loc)
{
  LexOpen open = { token, "{", loc->loc };
  if (token == '(')
    open.what = "(";
  else if (token == '[')
    open.what = "[";
  if (token == '{' && lx->last_token == TOK_PAR)
    {
      open.what = "par";
      open.loc = lx->last_loc.loc;
    }
  else if (token == '{' && lx->open->len == 0 && decl_keyword_name (lx->decl_token) != NULL)
    {
      open.what = decl_keyword_name (lx->decl_token);
      open.loc = lx->decl_loc;
    }
  else if (token == '(' && lx->last_token == TOK_ZIP)
    {
      open.what = "zip";
      open.loc = lx->last_loc.loc;
    }
  g_array_append_val (lx->open, open);
}

static void
pop_open (Lexer *lx, int opener)
{
  if (lx->open->len > 0 && g_array_index (lx->open, LexOpen, lx->open->len - 1).token == opener)
    g_array_set_size (lx->open, lx->open->len - 1);
}

/* Remember what the messages need about the token being returned. */
static void
track (Lexer *lx, int token, const YYLTYPE *loc)
{
  switch (token)
    {
    case '{':
    case '(':
    case '[':
      push_open (lx, token, loc);
      break;
    case '}':
      pop_open (lx, '{');
      break;
    case ')':
      pop_open (lx, '(');
      break;
    case ']':
      pop_open (lx, '[');
      break;
    case TOK_TYPE:
    case TOK_STAGE:
    case TOK_TABLE:
    case TOK_FLOW:
    case TOK_GRAPH:
    case TOK_MAIN:
    case TOK_IMPORT:
      if (lx->open->len == 0)
        {
          lx->decl_token = token;
          lx->decl_loc = loc->loc;
        }
      break;
    default:
      break;
    }
  if (lx->last_token != 0)
    {
      lx->before_last_loc = lx->last_loc;
      lx->has_before_last = TRUE;
    }
  lx->last_token = token;
  lx->last_loc = *loc;
}

static int
next_unfolded (Lexer *lx, YYSTYPE *value, YYLTYPE *loc)
{
  if (!lx->has_ahead)
    return lex_raw (lx, value, loc);
  lx->has_ahead = FALSE;
  *value = lx->ahead_value;
  *loc = lx->ahead_loc;
  return lx->ahead_token;
}

/* `;` directly followed by `else` is the `else`: no statement can start
 * with `else`, so nothing that parses is changed by dropping the `;`. */
int
lexer_next (Lexer *lx, YYSTYPE *value, YYLTYPE *loc)
{
  int token = next_unfolded (lx, value, loc);
  if (token == ';')
    {
      int after = lex_raw (lx, &lx->ahead_value, &lx->ahead_loc);
      if (after == TOK_ELSE)
        {
          token = after;
          *value = lx->ahead_value;
          *loc = lx->ahead_loc;
        }
      else
        {
          lx->ahead_token = after;
          lx->has_ahead = TRUE;
        }
    }
  track (lx, token, loc);
  return token;
}

/* ------------------------------------------------------------- lifetime */

void
lexer_init (Lexer *lx, Program *program, guint file)
{
  const ProgramFile *source = program_file (program, file);
  memset (lx, 0, sizeof *lx);
  lx->program = program;
  lx->file = file;
  lx->start = source->source;
  lx->cursor = source->source;
  lx->limit = source->source + source->source_len;
  lx->line_start = source->source;
  lx->line = 1;
  /* A UTF-8 byte order mark, as some editors write, is not a character of
   * the program.  Columns still count it: they count bytes. */
  if (source->source_len >= 3 && memcmp (source->source, "\xEF\xBB\xBF", 3) == 0)
    lx->cursor += 3;
  lx->scratch = g_string_new (NULL);
  lx->open = g_array_new (FALSE, FALSE, sizeof (LexOpen));
}

void
lexer_clear (Lexer *lx)
{
  g_string_free (lx->scratch, TRUE);
  g_array_unref (lx->open);
  lx->scratch = NULL;
  lx->open = NULL;
}

const LexOpen *
lexer_open_bracket (const Lexer *lx, guint skip)
{
  if (lx->open->len <= skip)
    return NULL;
  return &g_array_index (lx->open, LexOpen, lx->open->len - 1 - skip);
}

gsize
lexer_token_text (const Lexer *lx, const YYLTYPE *loc, gsize max, const char **text)
{
  const char *p = lx->start + loc->offset;
  gsize avail = (gsize) (lx->limit - p);
  gsize len = MIN (MIN ((gsize) loc->loc.len, avail), max);
  const char *newline = memchr (p, '\n', len);
  if (newline != NULL)
    len = (gsize) (newline - p);
  /* Keep only whole, valid characters: the text goes into a message. */
  const char *valid_end;
  g_utf8_validate (p, (gssize) len, &valid_end);
  *text = p;
  return (gsize) (valid_end - p);
}
