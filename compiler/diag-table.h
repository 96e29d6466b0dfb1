/* diag-table.h — every diagnostic dfc can print, in one table.
 *
 * DIAG(ID, "code", SEVERITY, "what it means")
 *
 * ID names the enum constant (DIAG_ID); "code" is printed in brackets after
 * the message and is the name used by -W<code> / -Wno-<code> for warnings;
 * the last column is the one-line summary that `dfc --help-diagnostics`
 * prints and docs/diagnostics.md expands.  Every row has a negative test in
 * tests/check/invalid/ and an entry in docs/diagnostics.md.
 *
 * Include this file after defining DIAG; it undefines it.
 */

/* ---- lexical and syntax ---- */
DIAG(SYNTAX, "syntax", ERROR, "the text does not follow the grammar")
DIAG(BAD_CHAR, "bad-char", ERROR, "a character that cannot start any token")
DIAG(BAD_UTF8, "bad-utf8", ERROR, "the file is not valid UTF-8")
DIAG(UNTERMINATED_STRING, "unterminated-string", ERROR, "a string literal without its closing quote on the same line")
DIAG(UNTERMINATED_COMMENT, "unterminated-comment", ERROR, "a /* comment without */")
DIAG(UNTERMINATED_CBLOCK, "unterminated-cblock", ERROR, "a %{ or %header{ block without %}")
DIAG(BAD_ESCAPE, "bad-escape", ERROR, "an escape sequence the language does not define")
DIAG(BAD_NUMBER, "bad-number", ERROR, "a malformed or out-of-range number or duration")

/* ---- imports ---- */
DIAG(IMPORT_NOT_FOUND, "import-not-found", ERROR, "an import names no file that can be found and read")

/* ---- names ---- */
DIAG(DUPLICATE_DECL, "duplicate-decl", ERROR, "two declarations share one name")
DIAG(DUPLICATE_PARAM, "duplicate-param", ERROR, "a parameter list names one parameter twice")
DIAG(C_KEYWORD, "c-keyword", ERROR, "a stage, flow, graph or parameter named with a C keyword")
DIAG(RESERVED_NAME, "reserved-name", ERROR, "a generated symbol that would replace a C library, POSIX, GLib or runtime function")
DIAG(SYMBOL_CLASH, "symbol-clash", ERROR, "a generated symbol that is also the name of a helper dfc generates for another declaration")
DIAG(UNKNOWN_CALLEE, "unknown-callee", ERROR, "a call, node or run names nothing declared")
DIAG(NOT_CALLABLE, "not-callable", ERROR, "a call names a type or graph, or a node or run names something it cannot run")
DIAG(DUPLICATE_OPTION, "duplicate-option", ERROR, "an option written twice, or two options that exclude each other")
DIAG(BAD_OPTION, "bad-option", ERROR, "an option value out of range or not allowed here")

/* ---- types ---- */
DIAG(TYPE_OPTION, "type-option", ERROR, "a type option other than free and copy, or written twice")
DIAG(ALIAS_CYCLE, "alias-cycle", ERROR, "type aliases that are defined through each other")
DIAG(TYPE_MISMATCH, "type-mismatch", ERROR, "one value read or produced with two different types")
DIAG(LITERAL_TYPE, "literal-type", ERROR, "a constant that does not fit the parameter's type")
DIAG(OWNERSHIP_CONFLICT, "ownership-conflict", ERROR, "owned aliases with different free functions meet at one value")
DIAG(BATCH_PARAM, "batch-param", ERROR, "T[] used outside a node's stage input, or without batch")

/* ---- flows ---- */
DIAG(EMPTY_BLOCK, "empty-block", ERROR, "an empty flow body, block, par, table or main")
DIAG(MISSING_INPUT, "missing-input", ERROR, "a stage input that is not available where the stage runs")
DIAG(UNKNOWN_PARAM, "unknown-param", ERROR, "a binding to a parameter the stage lacks")
DIAG(UNKNOWN_OUTPUT, "unknown-output", ERROR, "a rename of an output the stage lacks")
DIAG(DUPLICATE_BINDING, "duplicate-binding", ERROR, "one parameter bound twice, or one output renamed twice")
DIAG(MERGE_CONFLICT, "merge-conflict", ERROR, "two concurrent branches, or a later stage, produce a name that is already taken")
DIAG(UNAVAILABLE_VALUE, "unavailable-value", ERROR, "a condition or dispatch key that is not available")
DIAG(CONDITION_TYPE, "condition-type", ERROR, "an if condition that is neither boolean, integer nor pointer")
DIAG(MISSING_OUTPUT, "missing-output", ERROR, "a declared flow output not definitely available at the end")
DIAG(OUTPUT_NEEDS_COPY, "output-needs-copy", ERROR, "an owned flow input passed on as an output, and its type has no copy function")
DIAG(GENERATOR_IN_FLOW, "generator-in-flow", ERROR, "an emits stage called from a flow (only graph nodes may run generators)")
DIAG(STATE_IN_FLOW, "state-in-flow", ERROR, "a stage with `state` called from a flow; its state lives in graph nodes")
DIAG(NOT_A_POINTER, "not-a-pointer", ERROR, "a stage's `state (T)` or main's `main (T)` whose type is not a pointer")
DIAG(GRAPH_IN_FLOW, "graph-in-flow", ERROR, "a graph called from a flow")
DIAG(REPEAT_OUTPUTS, "repeat-outputs", ERROR, "a repeat or every flow that declares outputs")

/* ---- tables ---- */
DIAG(DISPATCH_KEY, "dispatch-key", ERROR, "a static pick of a key the table lacks, with no default")
DIAG(PICK_KIND, "pick-kind", ERROR, "a pick key of the other kind than the table's keys")
DIAG(TABLE_KEYS, "table-keys", ERROR, "a table mixing string and integer keys, or repeating a key")
DIAG(TABLE_CALL, "table-call", ERROR, "a table named without [key], or a pick with bindings")
DIAG(NOT_A_TABLE, "not-a-table", ERROR, "[key] after a name that is not a table")

/* ---- graphs ---- */
DIAG(DUPLICATE_NODE, "duplicate-node", ERROR, "two nodes of one graph share a name")
DIAG(UNKNOWN_NODE, "unknown-node", ERROR, "an edge names neither a node nor a stage")
DIAG(GRAPH_CYCLE, "graph-cycle", ERROR, "the edges of a graph form a cycle")
DIAG(EDGE_FIELD, "edge-field", ERROR, "a destination parameter that an incoming edge does not provide")
DIAG(UNKNOWN_FIELD, "unknown-field", ERROR, "an edge mapping that names a field the sources lack or a parameter the destination lacks")
DIAG(COPY_NEEDED, "copy-needed", ERROR, "an owned item sent to several destinations without a copy function")
DIAG(ZIP_CONFLICT, "zip-conflict", ERROR, "zip sources that share a field name, or zip not at the start of an edge")
DIAG(START_PARAM, "start-param", ERROR, "a start node parameter that is neither bound nor a graph input")
DIAG(NODE_OPTION, "node-option", ERROR, "a node option that does not apply to this node (every/cron off a start node, batch without T[])")
DIAG(DEAD_LETTER, "dead-letter", ERROR, "a dead-letter edge (`a !-> b`) that cannot work: a start node, a node that halts, a second one, a zip, a wrong message type")
DIAG(RETRY_EMITS, "retry-emits", ERROR, "a generator node that would be retried, emitting its items again")

/* ---- main ---- */
DIAG(DUPLICATE_MAIN, "duplicate-main", ERROR, "more than one main block")
DIAG(RUN_INPUT, "run-input", ERROR, "a run input that is neither bound nor readable from the command line")
DIAG(RESERVED_OPTION, "reserved-option", ERROR, "a run input named like one of main's own options (--mode, --stats, --help, ...)")
DIAG(OPTION_CONFLICT, "option-conflict", ERROR, "two runs read one command-line option with different types or defaults")
DIAG(MISPLACED_DEFAULT, "misplaced-default", ERROR, "a default or help text on a stage parameter or an output, where it has no effect")

/* ---- warnings ---- */
DIAG(UNUSED_OUTPUT, "unused-output", WARNING, "a produced value that nothing reads")
DIAG(UNUSED_INPUT, "unused-input", WARNING, "a graph input that no node reads")
DIAG(DISCARDED_ITEMS, "discarded-items", WARNING, "a node emits items that no edge takes")
DIAG(REMOTE_TYPE, "remote-type", ERROR, "an edge into a remote node carries a value of a type that cannot cross processes")
DIAG(IGNORED_OPTION, "ignored-option", WARNING, "an option that has no effect where it is written (timeout, limit or tasks on a sync stage, queue on a start node)")

#undef DIAG
