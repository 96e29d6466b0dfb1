/* parser.y — the grammar of .df files, for GNU Bison.
 *
 * The rules follow docs/language.md ("Appendix: the grammar"); each group
 * carries the EBNF it implements.  Actions build the tree of ast.h directly in the
 * program's arena, through the build_* functions of parse-build.c, so
 * nothing needs freeing when a parse is abandoned halfway (no
 * %destructor).  Lists grow in ArenaVecs and become plain arrays when
 * their owner is complete.
 *
 * Option values that are out of range and options given twice are
 * reported as the actions meet them (parse-build.c), where the tokens are
 * at hand (bad-option, duplicate-option); everything that needs names
 * resolved is left to the checks.
 *
 * Errors.  Messages name what was expected by spelling ("expected ';' or
 * '}' before 'parse'"), group the long sets ("a statement", "a type"),
 * and say which bracket is left open ("to close 'par' at line 4").
 * Recovery happens at three levels, so one run reports several errors:
 *   - a statement: `error` stands for a statement, and parsing resumes
 *     at the next `;`, `}` or `else`;
 *   - an item of a table, graph or main body, or a type option: resumes
 *     after the next `;` or at the closing `}`;
 *   - a declaration: tokens are skipped up to the next keyword that starts
 *     a declaration (`type`, `stage`, `flow`, ... cannot occur inside one).
 * Bison reports nothing more until three tokens have been shifted after
 * an error, which keeps one mistake from echoing.
 *
 * Two departures from a literal transcription of the EBNF, both making
 * the grammar LALR(1) without changing the language:
 *   - the lexer folds `; else` into `else` (see lexer.h), so
 *     `if (x) a; else b` and `if (x) a else b` are the same token stream;
 *   - statements are split into those that end with `}` (closed) and
 *     those that do not (open), which is how `{ a; } b;` needs no `;`
 *     after the block.  The same rule lets the last arm of a table omit
 *     its `;`, as the last statement of a block may.
 */

%require "3.8"
%define api.pure full
%define api.token.prefix {TOK_}
%define api.location.type {ParseLoc}
%define parse.error custom
%define parse.lac full
%locations
%param {Parser *parser}

%code requires {
/* The parser's state, its locations and the helper values of %union. */
#include "parse-build.h"
}

%code {
#include <string.h>
#include "lexer.h"

#define YYLLOC_DEFAULT(Cur, Rhs, N)                                     \
  do                                                                    \
    {                                                                   \
      if (N)                                                            \
        {                                                               \
          (Cur).loc = YYRHSLOC (Rhs, 1).loc;                            \
          (Cur).offset = YYRHSLOC (Rhs, 1).offset;                      \
          (Cur).end_line = YYRHSLOC (Rhs, N).end_line;                  \
          (Cur).end_col = YYRHSLOC (Rhs, N).end_col;                    \
          (Cur).after_error = FALSE;                                    \
        }                                                               \
      else                                                              \
        {                                                               \
          (Cur).loc.line = (Cur).end_line = YYRHSLOC (Rhs, 0).end_line; \
          (Cur).loc.col = (Cur).end_col = YYRHSLOC (Rhs, 0).end_col;    \
          (Cur).loc.len = 1;                                            \
          (Cur).loc.file = YYRHSLOC (Rhs, 0).loc.file;                  \
          (Cur).offset = YYRHSLOC (Rhs, 0).offset;                      \
          (Cur).after_error = FALSE;                                    \
        }                                                               \
    }                                                                   \
  while (0)

static int yylex (YYSTYPE *value, YYLTYPE *loc, Parser *parser);
static void yyerror (YYLTYPE *loc, Parser *parser, const char *message);
}

/* ---------------------------------------------------------------- tokens */

%token END 0 "end of file"
%token <sym> IDENT "a name"
%token <lit> INT "an integer" FLOAT "a floating-point number" STRING "a string"
             DURATION "a duration"
%token <cblock> CBLOCK "'%{'"
/* Declared first so that messages list them in this order. */
%token ';' '}' ')' ']' '{' '(' '[' ',' '=' ':' '*' '!'
%token ARROW "'->'" FATARROW "'=>'" DOTDOT "'..'"
%token TYPE "'type'" STAGE "'stage'" EMITS "'emits'" ASYNC "'async'" BLOCKING "'blocking'"
       TIMEOUT "'timeout'" LIMIT "'limit'" RETRY "'retry'" BACKOFF "'backoff'"
       TABLE "'table'" DEFAULT "'default'"
       FLOW "'flow'" VISIBILITY "'visibility'" NONE "'none'" INITIAL "'initial'" ALL "'all'"
       REPEAT "'repeat'" EVERY "'every'" ON "'on'" ERROR_KW "'error'" FAIL "'fail'"
       PAR "'par'" IF "'if'" ELSE "'else'"
       GRAPH "'graph'" HALT_ON_ERROR "'halt_on_error'" NODE "'node'" TASKS "'tasks'"
       QUEUE "'queue'" REMOTE "'remote'" BATCH "'batch'" WITHIN "'within'" CRON "'cron'" HALT "'halt'"
       SKIP "'skip'" ZIP "'zip'" AFTER "'after'" STATE "'state'"
       IMPORT "'import'"
       MAIN "'main'" RUN "'run'" RESTART "'restart'" FAILURE "'failure'" MAX "'max'"
       TRUE_KW "'true'" FALSE_KW "'false'"
       CONST "'const'" VOLATILE "'volatile'" SIGNED "'signed'" UNSIGNED "'unsigned'"
       SHORT "'short'" LONG "'long'" CHAR "'char'" INT_KW "'int'" FLOAT_KW "'float'"
       DOUBLE "'double'" VOID "'void'" BOOL_KW "'_Bool'" STRUCT "'struct'" UNION "'union'"
       ENUM "'enum'" UNDERSCORE "'_'"

/* `if (x) if (y) a else b`: the `else` belongs to the nearest `if`. */
%precedence THEN
%precedence ELSE

%union {
  Sym sym;
  AstLiteral *lit;
  AstCBlock *cblock;
  ArenaVec *vec;
  AstStmt *stmt;
  AstIf *cond;
  AstCType *ctype;
  AstParam *param;
  AstParams *params;
  AstTypeDecl *type;
  AstStage *stage;
  AstTable *table;
  AstTableArm *arm;
  AstFlow *flow;
  AstGraph *graph;
  ParseGraphBody *gbody;
  AstNode *node;
  AstEdge *edge;
  AstEdgeGroup *group;
  AstMain *main;
  AstRun *run;
  AstBinding *binding;
  AstRename *rename;
  AstRetry *retry;
  ParseBackoff *backoff;
  ParsePick *pick;
  Visibility visibility;
  OnErrorKind on_error;
}

%type <sym> cword tag name
/* The option words: keywords where an option is expected, names elsewhere
 * (lexer.re's lex_soft gives them their name). */
%type <sym> EMITS ASYNC BLOCKING TIMEOUT LIMIT RETRY BACKOFF DEFAULT VISIBILITY NONE INITIAL ALL
            REPEAT EVERY ON ERROR_KW FAIL HALT_ON_ERROR NODE TASKS QUEUE REMOTE BATCH WITHIN CRON
            HALT SKIP AFTER STATE RUN RESTART FAILURE MAX
%type <vec> cwords stars params_list type_options args bindings renames rename_list seq arms
            chain names runs
%type <ctype> ctype
%type <param> param param_typed user_data stage_state
%type <params> params
%type <type> typedecl
%type <stage> stagedecl stage_head stage_opts
%type <table> tabledecl
%type <arm> arm last_arm key
%type <flow> flowdecl flow_head flow_opts
%type <visibility> visibility
%type <on_error> on_error_kind
%type <stmt> block closed_stmt open_stmt call call_head
%type <cond> cond
%type <pick> pick
%type <binding> binding
%type <lit> literal
%type <rename> rename
%type <retry> retry
%type <backoff> backoff backoff_opt
%type <lit> max_opt threshold skip_threshold
%type <graph> graphdecl graph_head
%type <gbody> gitems
%type <node> node node_head
%type <edge> edge dead_letters
%type <group> ends
%type <main> maindecl
%type <run> run restart

%initial-action
{
  @$.loc.line = @$.end_line = 1;
  @$.loc.col = @$.end_col = 1;
  @$.loc.len = 1;
  @$.loc.file = parser->file;
  @$.offset = 0;
  @$.after_error = FALSE;
}

%%

/* file = { decl } ;
 * decl = cblock | importdecl | typedecl | stagedecl | tabledecl | flowdecl | graphdecl
 *      | maindecl ;
 * After an error inside a declaration, skip to the next declaration
 * keyword.  A stray `;` between declarations (`};` after a flow, out of C
 * habit) is accepted and ignored. */
file:
    %empty
  | file decl
  | file error
  ;

decl:
    CBLOCK     { build_add_item (parser, ITEM_CBLOCK, $1); build_vec_push (parser, &parser->cblocks, $1); }
  | importdecl
  | typedecl   { build_add_decl (parser, &$1->decl, &parser->types); }
  | stagedecl  { build_add_decl (parser, &$1->decl, &parser->stages); }
  | tabledecl  { build_add_decl (parser, &$1->decl, &parser->tables); }
  | flowdecl   { build_add_decl (parser, &$1->decl, &parser->flows); }
  | graphdecl  { build_add_decl (parser, &$1->decl, &parser->graphs); }
  | maindecl   { build_add_item (parser, ITEM_MAIN, $1); build_vec_push (parser, &parser->mains, $1); }
  | ';'
  ;

/* --------------------------------------------------------------- imports */

/* importdecl = "import" STRING ";" ;
 * The file is found and read after the parse (imports.c), wherever in the
 * file the statement is: what it declares is one program with this file. */
importdecl:
    IMPORT STRING ';'  { build_import (parser, $2); }
  ;

/* ----------------------------------------------------------------- names */

/* name = IDENT | option word ;
 * The words that only introduce an option (`limit`, `error`, `node`,
 * `queue`, …) name things anywhere else: `stage limit(error: int);`.  The
 * words that start a declaration or a statement (`stage`, `par`, `if`),
 * `zip`, `true`/`false` and C's type words stay reserved. */
name:
    IDENT | EMITS | ASYNC | BLOCKING | TIMEOUT | LIMIT | RETRY | BACKOFF | DEFAULT
  | VISIBILITY | NONE | INITIAL | ALL | REPEAT | EVERY | ON | ERROR_KW | FAIL
  | HALT_ON_ERROR | NODE | TASKS | QUEUE | REMOTE | BATCH | WITHIN | CRON | HALT | SKIP | AFTER
  | STATE | RUN | RESTART | FAILURE | MAX
  ;

/* ----------------------------------------------------------------- types */

/* typedecl = "type" name "=" ctype [ "{" { name "=" name ";" } "}" ] ";" ; */
typedecl:
    TYPE name '=' ctype ';'
      { $$ = build_typedecl (parser, $2, @2.loc, $4, NULL); }
  | TYPE name '=' ctype '{' type_options '}' ';'
      { $$ = build_typedecl (parser, $2, @2.loc, $4, $6); }
  ;

type_options:
    %empty  { $$ = build_vec (parser); }
  | type_options name '=' name ';'
      { $$ = build_vec_push (parser, $1, build_type_option (parser, $2, @2.loc, $4, @4.loc)); }
  ;

/* ctype     = ctypeword { ctypeword } { "*" [ "const" ] } ;
 * ctypeword = name | "const" | "volatile" | "signed" | "unsigned" | "short" | "long"
 *           | "char" | "int" | "float" | "double" | "void" | "_Bool"
 *           | ( "struct" | "union" | "enum" ) IDENT ;
 * typeref   = name | ctype ;   (a lone name is a one-word ctype) */
ctype:
    cwords stars  { $$ = build_ctype (parser, $1, $2, @$); }
  ;

cwords:
    cword               { $$ = build_vec_push (parser, build_vec (parser), (gpointer) $1); }
  | tag IDENT
      {
        $$ = build_vec_push (parser, build_vec (parser), (gpointer) $1);
        build_vec_push (parser, $$, (gpointer) $2);
      }
  | cwords cword        { $$ = build_vec_push (parser, $1, (gpointer) $2); }
  | cwords tag IDENT
      {
        $$ = build_vec_push (parser, $1, (gpointer) $2);
        build_vec_push (parser, $$, (gpointer) $3);
      }
  ;

cword:
    name      { $$ = $1; }
  | CONST     { $$ = build_sym (parser, "const"); }
  | VOLATILE  { $$ = build_sym (parser, "volatile"); }
  | SIGNED    { $$ = build_sym (parser, "signed"); }
  | UNSIGNED  { $$ = build_sym (parser, "unsigned"); }
  | SHORT     { $$ = build_sym (parser, "short"); }
  | LONG      { $$ = build_sym (parser, "long"); }
  | CHAR      { $$ = build_sym (parser, "char"); }
  | INT_KW    { $$ = build_sym (parser, "int"); }
  | FLOAT_KW  { $$ = build_sym (parser, "float"); }
  | DOUBLE    { $$ = build_sym (parser, "double"); }
  | VOID      { $$ = build_sym (parser, "void"); }
  | BOOL_KW   { $$ = build_sym (parser, "_Bool"); }
  ;

tag:
    STRUCT  { $$ = build_sym (parser, "struct"); }
  | UNION   { $$ = build_sym (parser, "union"); }
  | ENUM    { $$ = build_sym (parser, "enum"); }
  ;

/* Each pointer level: 1 for "*", 2 for "* const". */
stars:
    %empty           { $$ = build_vec (parser); }
  | stars '*'        { $$ = build_vec_push (parser, $1, GINT_TO_POINTER (1)); }
  | stars '*' CONST  { $$ = build_vec_push (parser, $1, GINT_TO_POINTER (2)); }
  ;

/* param  = param_typed [ "=" literal ] [ STRING ] ;
 * params = "(" [ param { "," param } ] ")" ;
 * The default and the help text mean something only on the inputs of a
 * flow or graph that main runs (docs/cli.md); the checks reject them
 * elsewhere. */
params:
    '(' ')'              { $$ = build_params (parser, NULL, @1.loc); }
  | '(' params_list ')'  { $$ = build_params (parser, $2, @1.loc); }
  ;

params_list:
    param                  { $$ = build_vec_push (parser, build_vec (parser), $1); }
  | params_list ',' param  { $$ = build_vec_push (parser, $1, $3); }
  ;

param:
    param_typed                      { $$ = $1; }
  | param_typed '=' literal          { $$ = $1; $$->default_value = $3; }
  | param_typed STRING               { $$ = $1; $$->help = $2; }
  | param_typed '=' literal STRING   { $$ = $1; $$->default_value = $3; $$->help = $4; }
  ;

/* param_typed = name ":" typeref [ "[" "]" ] ; */
param_typed:
    name ':' ctype
      { $$ = build_param (parser, $1, @1.loc, $3); }
  | name ':' ctype '[' ']'
      {
        $$ = build_param (parser, $1, @1.loc, $3);
        $$->is_batch = TRUE;
        $$->batch_loc = build_span_between (@4, @5);
      }
  ;

/* ---------------------------------------------------------------- stages */

/* stagedecl = "stage" name params [ ( "->" | "emits" ) params ] { stageopt } ";" ;
 * stageopt  = "async" | "blocking" | "timeout" DURATION | "limit" INT
 *           | "retry" INT [ "backoff" DURATION [ ".." DURATION ] ] ; */
stagedecl:
    stage_opts ';'  { $$ = $1; }
  ;

stage_head:
    STAGE name params               { $$ = build_stage (parser, $2, @2.loc, $3, NULL); }
  | STAGE name params ARROW params  { $$ = build_stage (parser, $2, @2.loc, $3, $5); $$->has_arrow = TRUE; }
  | STAGE name params EMITS params  { $$ = build_stage (parser, $2, @2.loc, $3, $5); $$->emits = TRUE; }
  ;

stage_opts:
    stage_head                 { $$ = $1; }
  | stage_opts ASYNC           { build_stage_set_kind (parser, $1, STAGE_ASYNC, @2.loc); $$ = $1; }
  | stage_opts BLOCKING        { build_stage_set_kind (parser, $1, STAGE_BLOCKING, @2.loc); $$ = $1; }
  | stage_opts TIMEOUT DURATION { build_set_timeout (parser, &$1->opts, @2.loc, $3); $$ = $1; }
  | stage_opts LIMIT INT       { build_set_limit (parser, &$1->opts, @2.loc, $3); $$ = $1; }
  | stage_opts retry           { build_set_retry (parser, &$1->opts.retry, $2); $$ = $1; }
  | stage_opts stage_state     { build_stage_set_state (parser, $1, @2.loc, $2); $$ = $1; }
  ;

/* stage_state = "state" "(" ctype ")" ;
 * What the stage keeps per graph node (per task), made by NAME_open ()
 * before the task's first item and given to NAME_close () after its last. */
stage_state:
    STATE '(' ctype ')'  { $$ = build_param (parser, program_sym (parser->program, "state"), @3.loc, $3); }
  ;

/* "retry" INT [ "backoff" DURATION [ ".." DURATION ] ] */
retry:
    RETRY INT          { $$ = build_retry (parser, @1.loc, $2, NULL); }
  | RETRY INT backoff  { $$ = build_retry (parser, @1.loc, $2, $3); }
  ;

backoff:
    BACKOFF DURATION                  { $$ = build_backoff (parser, $2, NULL); }
  | BACKOFF DURATION DOTDOT DURATION  { $$ = build_backoff (parser, $2, $4); }
  ;

/* ---------------------------------------------------------------- tables */

/* tabledecl = "table" name "{" { tablekey "=>" stmt ";" } "}" ;
 * tablekey  = STRING | INT | "default" ;
 * The `;` after an arm that ends with `}`, and after the last arm, may be
 * left out, as in a block. */
tabledecl:
    TABLE name '{' arms '}'
      { $$ = build_table (parser, $2, @2.loc, @3.loc, $4); }
  | TABLE name '{' arms last_arm '}'
      { $$ = build_table (parser, $2, @2.loc, @3.loc, build_vec_push (parser, $4, $5)); }
  | TABLE name '{' arms error '}'
      { $$ = build_table (parser, $2, @2.loc, @3.loc, $4); }
  ;

arms:
    %empty            { $$ = build_vec (parser); }
  | arms arm          { $$ = build_vec_push (parser, $1, $2); }
  | arms error ';'    { $$ = $1; }
  ;

arm:
    key FATARROW open_stmt ';'    { $$ = $1; $$->stmt = $3; }
  | key FATARROW closed_stmt      { $$ = $1; $$->stmt = $3; }
  | key FATARROW closed_stmt ';'  { $$ = $1; $$->stmt = $3; }
  ;

last_arm:
    key FATARROW open_stmt        { $$ = $1; $$->stmt = $3; }
  ;

key:
    STRING   { $$ = build_arm (parser, KEY_STRING, @1.loc, $1); }
  | INT      { $$ = build_arm (parser, KEY_INT, @1.loc, $1); }
  | DEFAULT  { $$ = build_arm (parser, KEY_DEFAULT, @1.loc, NULL); }
  ;

/* ----------------------------------------------------------------- flows */

/* flowdecl = "flow" name params [ "->" params ] { flowopt } block ;
 * flowopt  = "visibility" ( "none" | "initial" | "all" ) | "repeat" | "every" ( DURATION | name )
 *          | "on" "error" ( "fail" | "retry" INT [ "backoff" DURATION [ ".." DURATION ] ] ) ; */
flowdecl:
    flow_opts block  { $$ = $1; $$->body = $2; }
  ;

flow_head:
    FLOW name params               { $$ = build_flow (parser, $2, @2.loc, $3, NULL); }
  | FLOW name params ARROW params  { $$ = build_flow (parser, $2, @2.loc, $3, $5); }
  ;

flow_opts:
    flow_head                       { $$ = $1; }
  | flow_opts VISIBILITY visibility { build_flow_set_visibility (parser, $1, $3, @2.loc); $$ = $1; }
  | flow_opts REPEAT                { build_flow_set_repeat (parser, $1, @2.loc); $$ = $1; }
  | flow_opts EVERY DURATION
      { build_set_duration (parser, "every", &$1->has_every, &$1->every_loc, &$1->every_us, @2.loc, $3); $$ = $1; }
  | flow_opts EVERY name
      { build_flow_set_every_input (parser, $1, @2.loc, $3, @3.loc); $$ = $1; }
  | flow_opts ON ERROR_KW on_error_kind
      { build_set_on_error (parser, &$1->on_error, $4, @2.loc, @4.loc, NULL, FALSE); $$ = $1; }
  | flow_opts ON ERROR_KW retry
      { build_set_on_error (parser, &$1->on_error, ON_ERROR_RETRY, @2.loc, @4.loc, $4, FALSE); $$ = $1; }
  ;

/* `fail` is for flows, `halt` and `skip` for nodes; each is accepted in
 * both places so that the wrong one gets a clear message (bad-option). */
on_error_kind:
    FAIL  { $$ = ON_ERROR_FAIL; }
  | HALT  { $$ = ON_ERROR_HALT; }
  | SKIP  { $$ = ON_ERROR_SKIP; }
  ;

visibility:
    NONE     { $$ = VIS_NONE; }
  | INITIAL  { $$ = VIS_INITIAL; }
  | ALL      { $$ = VIS_ALL; }
  ;

/* block = "{" stmt { ";" stmt } [ ";" ] "}" ;
 * A statement that ends with `}` needs no `;` after it; an empty block
 * parses (the checks report it). */
block:
    '{' seq '}'            { $$ = build_block (parser, STMT_BLOCK, @1.loc, $2); }
  | '{' seq open_stmt '}'  { $$ = build_block (parser, STMT_BLOCK, @1.loc, build_vec_push (parser, $2, $3)); }
  ;

seq:
    %empty                  { $$ = build_vec (parser); }
  | seq open_stmt ';'       { $$ = build_vec_push (parser, $1, $2); }
  | seq closed_stmt         { $$ = build_vec_push (parser, $1, $2); }
  | seq closed_stmt ';'     { $$ = build_vec_push (parser, $1, $2); }
  ;

/* stmt = call | block | "par" block | "if" "(" [ "!" ] name ")" stmt [ [ ";" ] "else" stmt ] ;
 * Closed statements end with `}`, open ones do not.  An `if` is closed
 * when its last branch is. */
closed_stmt:
    block                               { $$ = $1; }
  | PAR block                           { $$ = $2; $$->kind = STMT_PAR; $$->loc = @1.loc; }
  | IF cond closed_stmt %prec THEN      { $$ = build_if (parser, @1.loc, $2, $3, build_no_loc, NULL); }
  | IF cond closed_stmt ELSE closed_stmt { $$ = build_if (parser, @1.loc, $2, $3, @4.loc, $5); }
  | IF cond open_stmt ELSE closed_stmt  { $$ = build_if (parser, @1.loc, $2, $3, @4.loc, $5); }
  ;

open_stmt:
    call                                { $$ = $1; }
  | IF cond open_stmt %prec THEN        { $$ = build_if (parser, @1.loc, $2, $3, build_no_loc, NULL); }
  | IF cond closed_stmt ELSE open_stmt  { $$ = build_if (parser, @1.loc, $2, $3, @4.loc, $5); }
  | IF cond open_stmt ELSE open_stmt    { $$ = build_if (parser, @1.loc, $2, $3, @4.loc, $5); }
  | error                               { $$ = build_block (parser, STMT_BLOCK, @1.loc, build_vec (parser)); }
  ;

cond:
    '(' name ')'      { $$ = build_cond (parser, FALSE, $2, @2.loc); }
  | '(' '!' name ')'  { $$ = build_cond (parser, TRUE, $3, @3.loc); }
  ;

/* call    = name [ "[" ( STRING | INT | name ) "]" ] [ "(" [ binding { "," binding } ] ")" ]
 *           [ "=>" "(" rename { "," rename } ")" ] { callopt } ;
 * callopt = "timeout" DURATION | "limit" INT | "retry" INT [ "backoff" DURATION [ ".." DURATION ] ] ; */
call:
    call_head               { $$ = $1; }
  | call TIMEOUT DURATION   { build_set_timeout (parser, &$1->u.call.opts, @2.loc, $3); $$ = $1; }
  | call LIMIT INT          { build_set_limit (parser, &$1->u.call.opts, @2.loc, $3); $$ = $1; }
  | call retry              { build_set_retry (parser, &$1->u.call.opts.retry, $2); $$ = $1; }
  ;

call_head:
    name pick args renames  { $$ = build_call (parser, $1, @1.loc, $2, $3, $4); }
  ;

pick:
    %empty          { $$ = NULL; }
  | '[' STRING ']'  { $$ = build_pick (parser, PICK_STRING, @2.loc); $$->lit = $2; }
  | '[' INT ']'     { $$ = build_pick (parser, PICK_INT, @2.loc); $$->lit = $2; }
  | '[' name ']'   { $$ = build_pick (parser, PICK_VALUE, @2.loc); $$->key = $2; }
  ;

/* "(" [ binding { "," binding } ] ")": NULL when not written at all. */
args:
    %empty            { $$ = NULL; }
  | '(' ')'           { $$ = build_vec (parser); }
  | '(' bindings ')'  { $$ = $2; }
  ;

bindings:
    binding               { $$ = build_vec_push (parser, build_vec (parser), $1); }
  | bindings ',' binding  { $$ = build_vec_push (parser, $1, $3); }
  ;

/* binding = name "=" ( name | literal ) ;
 * literal = INT | FLOAT | STRING | "true" | "false" | DURATION ; */
binding:
    name '=' name    { $$ = build_binding_key (parser, $1, @1.loc, $3, @3.loc); }
  | name '=' literal  { $$ = build_binding_literal (parser, $1, @1.loc, $3); }
  ;

literal:
    INT       { $$ = $1; }
  | FLOAT     { $$ = $1; }
  | STRING    { $$ = $1; }
  | DURATION  { $$ = $1; }
  | TRUE_KW   { $$ = build_literal_bool (parser, TRUE, @1.loc); }
  | FALSE_KW  { $$ = build_literal_bool (parser, FALSE, @1.loc); }
  ;

/* rename = ( name | "_" ) "=" name ; */
renames:
    %empty                        { $$ = NULL; }
  | FATARROW '(' rename_list ')'  { $$ = $3; }
  ;

rename_list:
    rename                  { $$ = build_vec_push (parser, build_vec (parser), $1); }
  | rename_list ',' rename  { $$ = build_vec_push (parser, $1, $3); }
  ;

rename:
    name '=' name       { $$ = build_rename (parser, $1, @1.loc, $3, @3.loc); }
  | UNDERSCORE '=' name  { $$ = build_rename (parser, NULL, @1.loc, $3, @3.loc); }
  ;

/* ---------------------------------------------------------------- graphs */

/* graphdecl = "graph" name params [ "halt_on_error" ] "{" { gitem } "}" ;
 * gitem     = "node" name "=" name [ "(" [ binding { "," binding } ] ")" ] { nodeopt } ";"
 *           | edge ";" ; */
graphdecl:
    graph_head '{' gitems '}'        { $$ = build_graph_finish ($1, @2.loc, $3); }
  | graph_head '{' gitems error '}'  { $$ = build_graph_finish ($1, @2.loc, $3); }
  ;

graph_head:
    GRAPH name params                { $$ = build_graph (parser, $2, @2.loc, $3); }
  | GRAPH name params HALT_ON_ERROR
      { $$ = build_graph (parser, $2, @2.loc, $3); $$->halt_on_error = TRUE; $$->halt_loc = @4.loc; }
  ;

gitems:
    %empty                { $$ = build_graph_body (parser); }
  | gitems node ';'       { build_vec_push (parser, &$1->nodes, $2); $$ = $1; }
  | gitems edge ';'       { build_vec_push (parser, &$1->edges, $2); $$ = $1; }
  | gitems dead_letters ';'  { build_vec_push (parser, &$1->edges, $2); $$ = $1; }
  | gitems error ';'      { $$ = $1; }
  ;

/* nodeopt = "tasks" INT | "queue" INT | "remote" | "batch" INT [ "within" DURATION ]
 *         | "timeout" DURATION | "limit" INT
 *         | "every" DURATION | "cron" STRING
 *         | "on" "error" ( "halt" | "skip" | "retry" INT [ "backoff" DURATION [ ".." DURATION ] ] )
 *         | threshold ; */
node:
    node_head                   { $$ = $1; }
  | node TASKS INT
      { build_set_count (parser, "tasks", &$1->has_tasks, &$1->tasks_loc, &$1->tasks, @2.loc, $3, 1); $$ = $1; }
  | node QUEUE INT
      { build_set_count (parser, "queue", &$1->has_queue, &$1->queue_loc, &$1->queue, @2.loc, $3, 1); $$ = $1; }
  | node REMOTE                 { build_node_set_remote (parser, $1, @2.loc); $$ = $1; }
  | node BATCH INT              { build_node_set_batch (parser, $1, @2.loc, $3, NULL); $$ = $1; }
  | node BATCH INT WITHIN DURATION
      { build_node_set_batch (parser, $1, @2.loc, $3, $5); $$ = $1; }
  | node TIMEOUT DURATION       { build_set_timeout (parser, &$1->opts, @2.loc, $3); $$ = $1; }
  | node LIMIT INT              { build_set_limit (parser, &$1->opts, @2.loc, $3); $$ = $1; }
  | node EVERY DURATION         { build_node_set_every (parser, $1, @2.loc, $3); $$ = $1; }
  | node CRON STRING            { build_node_set_cron (parser, $1, @2.loc, $3); $$ = $1; }
  | node ON ERROR_KW on_error_kind
      { build_set_on_error (parser, &$1->on_error, $4, @2.loc, @4.loc, NULL, TRUE); $$ = $1; }
  | node ON ERROR_KW retry
      { build_set_on_error (parser, &$1->on_error, ON_ERROR_RETRY, @2.loc, @4.loc, $4, TRUE); $$ = $1; }
  | node threshold
      { build_set_count (parser, "halt after", &$1->has_halt_after, &$1->halt_after_loc,
                         &$1->halt_after, @2.loc, $2, 1); $$ = $1; }
  ;

/* threshold = "halt" "after" INT ;
 * Skipped failures in a row after which the node halts the graph
 * (`on error skip halt after 5`); the checks say where it applies. */
threshold:
    HALT AFTER INT  { $$ = $3; }
  ;

node_head:
    NODE name '=' name args   { $$ = build_node (parser, $2, @2.loc, $4, @4.loc, $5); }
  ;

/* edge = ends { "->" ends } [ "(" binding { "," binding } ")" ] ;
 * ends = name { "," name } | "zip" "(" name { "," name } ")" ; */
edge:
    chain                   { $$ = build_edge (parser, $1, NULL); }
  | chain '(' bindings ')'  { $$ = build_edge (parser, $1, $3); }
  ;

/* dead_letters = name "!" "->" name [ "(" binding { "," binding } ")" ] ;
 * The items node name failed on (its input fields and `message`) go to
 * the second node, as an edge checked like any other. */
dead_letters:
    name '!' ARROW name
      { $$ = build_dead_letters (parser, $1, @1.loc, @2.loc, $4, @4.loc, NULL); }
  | name '!' ARROW name '(' bindings ')'
      { $$ = build_dead_letters (parser, $1, @1.loc, @2.loc, $4, @4.loc, $6); }
  ;

chain:
    ends              { $$ = build_vec_push (parser, build_vec (parser), $1); }
  | chain ARROW ends  { $$ = build_vec_push (parser, $1, $3); }
  ;

ends:
    names              { $$ = build_group (parser, FALSE, @1.loc, $1); }
  | ZIP '(' names ')'  { $$ = build_group (parser, TRUE, @1.loc, $3); }
  ;

names:
    name            { $$ = build_names_push (parser, build_vec (parser), $1, @1.loc); }
  | names ',' name  { $$ = build_names_push (parser, $1, $3, @3.loc); }
  ;

/* ------------------------------------------------------------------ main */

/* maindecl = "main" [ user_data ] "{" { "run" name [ "(" [ binding { "," binding } ] ")" ]
 *              [ "restart" "on" "failure" [ "backoff" DURATION [ ".." DURATION ] ] [ "max" INT ] ]
 *              [ "on" "error" "skip" "halt" "after" INT ] ";" } "}" ; */
maindecl:
    MAIN user_data '{' runs '}'        { $$ = build_main (parser, @1.loc, $2, $4); }
  | MAIN user_data '{' runs error '}'  { $$ = build_main (parser, @1.loc, $2, $4); }
  ;

/* user_data = "(" ctype ")" ;
 * The type of what main_user_data_new () makes for every stage. */
user_data:
    %empty         { $$ = NULL; }
  | '(' ctype ')'  { $$ = build_param (parser, program_sym (parser->program, "user_data"), @2.loc, $2); }
  ;

runs:
    %empty          { $$ = build_vec (parser); }
  | runs run ';'    { $$ = build_vec_push (parser, $1, $2); }
  | runs error ';'  { $$ = $1; }
  ;

run:
    RUN name args          { $$ = build_run_finish (parser, NULL, @1.loc, $2, @2.loc, $3); }
  | RUN name args restart  { $$ = build_run_finish (parser, $4, @1.loc, $2, @2.loc, $3); }
  | RUN name args skip_threshold
      { $$ = build_run_finish (parser, build_run_threshold (parser, NULL, @4.loc, $4),
                               @1.loc, $2, @2.loc, $3); }
  | RUN name args restart skip_threshold
      { $$ = build_run_finish (parser, build_run_threshold (parser, $4, @5.loc, $5),
                               @1.loc, $2, @2.loc, $3); }
  ;

/* skip_threshold = "on" "error" "skip" threshold ;
 * A run's failures are logged and skipped (the run starts again) until
 * INT of them come in a row: the words of a node's threshold. */
skip_threshold:
    ON ERROR_KW SKIP threshold  { $$ = $4; }
  ;

restart:
    RESTART ON FAILURE backoff_opt max_opt  { $$ = build_run_restart (parser, @1.loc, $4, $5); }
  ;

backoff_opt:
    %empty   { $$ = NULL; }
  | backoff  { $$ = $1; }
  ;

max_opt:
    %empty   { $$ = NULL; }
  | MAX INT  { $$ = $2; }
  ;

%%

/* ----------------------------------------------------------- the lexer */

static int
yylex (YYSTYPE *value, YYLTYPE *loc, Parser *parser)
{
  return lexer_next (parser->lexer, value, loc);
}

/* Bison calls this only when its stack is exhausted: the text is nested
 * deeper than anyone writes by hand. */
static void
yyerror (YYLTYPE *loc, Parser *parser, const char *message)
{
  parser->program->tree_incomplete = TRUE;
  diag_report (parser->program->diags, DIAG_SYNTAX, loc->loc,
               "nesting too deep for the parser (%s)", message);
}

/* -------------------------------------------------------- syntax errors */

/* Sets of expected tokens that read better as one phrase, in the order
 * they are listed; a lone IDENT is "a name". */
typedef struct {
  const char *phrase;
  int tokens[17];        /* terminated by 0 */
} TokenGroup;

static const TokenGroup token_groups[] = {
  { "a declaration", { TOK_TYPE, TOK_STAGE, TOK_TABLE, TOK_FLOW, TOK_GRAPH, TOK_MAIN, TOK_IMPORT, 0 } },
  { "a statement", { TOK_IDENT, '{', TOK_PAR, TOK_IF, 0 } },
  { "a type", { TOK_IDENT, TOK_CONST, TOK_VOLATILE, TOK_SIGNED, TOK_UNSIGNED, TOK_SHORT,
                TOK_LONG, TOK_CHAR, TOK_INT_KW, TOK_FLOAT_KW, TOK_DOUBLE, TOK_VOID,
                TOK_BOOL_KW, TOK_STRUCT, TOK_UNION, TOK_ENUM, 0 } },
  { "a name", { TOK_IDENT, 0 } },
  { "a literal", { TOK_INT, TOK_FLOAT, TOK_STRING, TOK_DURATION, TOK_TRUE_KW, TOK_FALSE_KW, 0 } },
};

/* What ends or closes a construct: listed first, and alone when a `;`
 * is missing at the end of a line. */
static const int ending_tokens[] = { ';', '}', ')', ']' };

enum { MAX_LISTED = 5 };

static yysymbol_kind_t
symbol_of (int token)
{
  return YYTRANSLATE (token);
}

static gboolean
group_applies (const TokenGroup *group, const gboolean *want)
{
  for (const int *t = group->tokens; *t != 0; t++)
    if (!want[symbol_of (*t)])
      return FALSE;
  return TRUE;
}

static gboolean
is_keyword (yysymbol_kind_t token)
{
  const char *name = yysymbol_name (token);
  return name[0] == '\'' && (g_ascii_isalpha (name[1]) || name[1] == '_');
}

/* The option words, which the `name` rule also takes. */
static gboolean
is_option_word (yysymbol_kind_t token)
{
  static const int words[] = {
    TOK_EMITS, TOK_ASYNC, TOK_BLOCKING, TOK_TIMEOUT, TOK_LIMIT, TOK_RETRY, TOK_BACKOFF,
    TOK_DEFAULT, TOK_VISIBILITY, TOK_NONE, TOK_INITIAL, TOK_ALL, TOK_REPEAT, TOK_EVERY,
    TOK_ON, TOK_ERROR_KW, TOK_FAIL, TOK_HALT_ON_ERROR, TOK_NODE, TOK_TASKS, TOK_QUEUE, TOK_REMOTE,
    TOK_BATCH, TOK_WITHIN, TOK_CRON, TOK_HALT, TOK_SKIP, TOK_AFTER, TOK_STATE, TOK_RUN,
    TOK_RESTART, TOK_FAILURE, TOK_MAX,
  };
  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    if (token == symbol_of (words[i]))
      return TRUE;
  return FALSE;
}

/* The expected tokens in reading order: `;` and closers first, then the
 * phrases, then the rest in grammar order.  With `endings_only`, just the
 * first kind. */
static void
describe_expected (const gboolean *expected, gboolean endings_only, GPtrArray *list)
{
  gboolean want[YYNTOKENS];
  memcpy (want, expected, sizeof want);
  /* Where a name is expected, an option word is one of the names. */
  if (want[YYSYMBOL_IDENT])
    for (int s = 0; s < YYNTOKENS; s++)
      if (is_option_word ((yysymbol_kind_t) s))
        want[s] = FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (ending_tokens); i++)
    if (want[symbol_of (ending_tokens[i])])
      {
        g_ptr_array_add (list, (gpointer) yysymbol_name (symbol_of (ending_tokens[i])));
        want[symbol_of (ending_tokens[i])] = FALSE;
      }
  if (endings_only)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (token_groups); i++)
    if (group_applies (&token_groups[i], want))
      {
        g_ptr_array_add (list, (gpointer) token_groups[i].phrase);
        for (const int *t = token_groups[i].tokens; *t != 0; t++)
          want[symbol_of (*t)] = FALSE;
        /* Between declarations, the end of the file is no news. */
        if (i == 0)
          want[YYSYMBOL_YYEOF] = want[YYSYMBOL_CBLOCK] = FALSE;
      }
  for (int s = 0; s < YYNTOKENS; s++)
    if (want[s])
      g_ptr_array_add (list, (gpointer) yysymbol_name ((yysymbol_kind_t) s));
}

static void
append_list (GString *msg, GPtrArray *list)
{
  for (guint i = 0; i < list->len && i < MAX_LISTED; i++)
    {
      if (i > 0)
        g_string_append (msg, i + 1 == list->len ? " or " : ", ");
      g_string_append (msg, list->pdata[i]);
    }
  if (list->len > MAX_LISTED)
    g_string_append (msg, ", ...");
}

/* The lookahead as the user wrote it: 'foo', "a string", '%{'. */
static void
append_token (GString *msg, Parser *parser, yysymbol_kind_t token, const YYLTYPE *at)
{
  if (token == YYSYMBOL_YYEOF)
    {
      g_string_append (msg, "end of file");
      return;
    }
  const char *text;
  gsize len = lexer_token_text (parser->lexer, at, 24, &text);
  gboolean quoted = len > 0 && text[0] == '"';
  if (!quoted)
    g_string_append_c (msg, '\'');
  g_string_append_len (msg, text, (gssize) len);
  if (len < at->loc.len)
    g_string_append (msg, quoted ? "...\"" : "...");
  if (!quoted)
    g_string_append_c (msg, '\'');
}


static int
closer_of (const LexOpen *open)
{
  return open->token == '{' ? '}' : open->token == '(' ? ')' : ']';
}

/* The innermost open bracket if its closer is expected here: what "to
 * close 'par' at line 4" names.  The lookahead itself may be the
 * innermost opener, and is not meant. */
static const LexOpen *
bracket_to_close (Parser *parser, yysymbol_kind_t token, const gboolean *want)
{
  guint skip = token == symbol_of ('{') || token == symbol_of ('(') || token == symbol_of ('[');
  const LexOpen *open = lexer_open_bracket (parser->lexer, skip);
  return open != NULL && want[symbol_of (closer_of (open))] ? open : NULL;
}

/* The message for `token` found where the tokens in `want` were expected.
 * `line_end`: a `;` seems to be missing at the end of a line. */
static void
describe_syntax_error (GString *msg, Parser *parser, yysymbol_kind_t token, const YYLTYPE *at,
                       const gboolean *want, gboolean line_end)
{
  gboolean at_end = token == YYSYMBOL_YYEOF;
  const LexOpen *open = bracket_to_close (parser, token, want);
  if (token == YYSYMBOL_ELSE)
    {
      g_string_append (msg, "'else' without a matching 'if'");
      return;
    }
  if (at_end && open != NULL)
    {
      g_string_append_printf (msg, "unexpected end of file, expected '%c' to close '%s' at line %u",
                              closer_of (open), open->what, open->loc.line);
      return;
    }
  g_autoptr (GPtrArray) list = g_ptr_array_new ();
  describe_expected (want, line_end, list);
  if (list->len == 0)
    {
      g_string_append (msg, "unexpected ");
      append_token (msg, parser, token, at);
      return;
    }
  g_string_append (msg, at_end ? "unexpected end of file, expected " : "expected ");
  append_list (msg, list);
  if (at_end)
    return;
  g_string_append (msg, " before ");
  append_token (msg, parser, token, at);
  /* Name the open bracket when the problem may be its missing closer
   * rather than a missing `;`, and it was opened on another line. */
  if (open != NULL && !want[symbol_of (';')] && open->loc.line != at->loc.line)
    g_string_append_printf (msg, " (to close '%s' at line %u)", open->what, open->loc.line);
  if (want[YYSYMBOL_IDENT] && is_keyword (token) && !is_option_word (token))
    g_string_append_printf (msg, " (%s is a reserved word)", yysymbol_name (token));
}

/* Right after the token before the lookahead: where a missing `;` or a
 * missing closer at the end of the file belongs. */
static Loc
after_previous_token (Parser *parser)
{
  const YYLTYPE *prev = &parser->lexer->before_last_loc;
  Loc loc = { prev->end_line, prev->end_col, 1, prev->loc.file };
  return loc;
}

static int
yyreport_syntax_error (const yypcontext_t *ctx, Parser *parser)
{
  const Lexer *lx = parser->lexer;
  yysymbol_kind_t token = yypcontext_token (ctx);
  const YYLTYPE *at = yypcontext_location (ctx);
  parser->program->tree_incomplete = TRUE;
  /* Text lost to a lexical error (the rest of an unterminated string's
   * line, a malformed number) makes the tokens around it look wrong: the
   * lexical error has been reported, and this would only echo it. */
  if (at->after_error || (lx->has_before_last && lx->before_last_loc.after_error))
    return 0;

  yysymbol_kind_t expected[YYNTOKENS];
  int n = yypcontext_expected_tokens (ctx, expected, YYNTOKENS);
  if (n < 0)
    return n;
  gboolean want[YYNTOKENS] = { FALSE };
  for (int i = 0; i < n; i++)
    want[expected[i]] = TRUE;
  /* Between declarations a `;` is allowed but never what is missing. */
  if (group_applies (&token_groups[0], want))
    want[symbol_of (';')] = FALSE;

  gboolean at_end = token == YYSYMBOL_YYEOF;
  gboolean line_end = !at_end && want[symbol_of (';')] && lx->has_before_last
                      && at->loc.line > lx->before_last_loc.end_line;
  GString *msg = g_string_new (NULL);
  describe_syntax_error (msg, parser, token, at, want, line_end);
  gboolean after_previous = (at_end || line_end) && token != YYSYMBOL_ELSE && lx->has_before_last;
  Loc loc = after_previous ? after_previous_token (parser) : at->loc;
  diag_report (parser->program->diags, DIAG_SYNTAX, loc, "%s", msg->str);
  g_string_free (msg, TRUE);
  return 0;
}

/* ----------------------------------------------------------- the entry */

AstFile *
parse_file (Program *program, guint file)
{
  Lexer lexer;
  Parser parser = { .program = program, .lexer = &lexer, .file = file };
  lexer_init (&lexer, program, file);
  yyparse (&parser);
  lexer_clear (&lexer);
  return build_file (&parser);
}
