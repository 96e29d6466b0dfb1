/* http-request.h — what std/http.df's stages share: building a request
 * from a URL, a query and header lines, and the errors that name it.
 * Runtime-thread work (the session, sending, reading) is in http-fetch.h. */
#pragma once

#include <libsoup/soup.h>

#include "http.h"

G_BEGIN_DECLS

/* The largest response body a stage reads: a server that sends more fails
 * the request rather than filling the memory. */
#define DFSTD_HTTP_MAX_BODY (64 * 1024 * 1024)

/* A request for @method @url, @query ("a=1&b=2", or "" for none) appended
 * to the URL's own query after a "?" or an "&", with the @headers lines
 * ("Name: value", "\n" between them; "" for none).  *@what is set to
 * "METHOD URL" (the URL as sent, its password hidden), which starts every
 * error message about the request.  NULL with a DFSTD_HTTP_ERROR (code 0)
 * naming the URL or the header line when one is not valid. */
SoupMessage *dfstd_http_request_new (const char *method, const char *url, const char *query,
                                     const char *headers, char **what, GError **error);

/* Adds "@name: @value" to @message's request headers unless the header
 * lines gave @name already (theirs win). */
void dfstd_http_request_default_header (SoupMessage *message, const char *name,
                                        const char *value);

/* "@what: HTTP 404 Not Found": the error of a response whose status is
 * not 2xx, its code the status. */
GError *dfstd_http_status_error (SoupMessage *message, const char *what);

/* @error (transfer full) with "@what: " before its message, in
 * DFSTD_HTTP_ERROR with code 0; a cancellation stays as it is, for the
 * runtime to see it is one. */
GError *dfstd_http_error_prefix (GError *error, const char *what);

/* @body (valid UTF-8, as the fetch returns it) parsed as one JSON document;
 * NULL with the parser's message after "@what: " when it is not JSON. */
JsonNode *dfstd_http_parse_json (DfContext *ctx, const char *what, char *body,
                                 GError **error);

G_END_DECLS
