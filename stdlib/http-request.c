/* http-request.c — a SoupMessage from a stage's URL, query and header
 * lines; the errors of std/http.df, each starting with "METHOD URL: ". */
#include "dfstd.h"
#include "http-request.h"

#include <string.h>

DFSTD_API G_DEFINE_QUARK (dfstd-http-error-quark, dfstd_http_error)

/* @url without its fragment (never sent) and with @query after its own
 * query: "?" when it has none, "&" unless it ends in one already. */
static char *
compose_url (const char *url, const char *query)
{
  int base = (int) strcspn (url, "#");
  if (*query == '\0')
    return g_strndup (url, base);
  const char *mark = memchr (url, '?', base);
  const char *separator = mark == NULL ? "?"
                          : url[base - 1] == '?' || url[base - 1] == '&' ? "" : "&";
  return g_strdup_printf ("%.*s%s%s", base, url, separator, query);
}

/* @text as an http:// or https:// URI with a host; strict RFC 3986 syntax,
 * so a space or a control character in the URL or the query is refused
 * rather than sent. */
static GUri *
parse_url (const char *text, GError **error)
{
  g_autoptr (GUri) uri = g_uri_parse (text, SOUP_HTTP_URI_FLAGS, error);
  if (uri == NULL)
    return NULL;
  const char *scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0)
    {
      g_set_error (error, DFSTD_HTTP_ERROR, 0, "the scheme is %s, not http or https", scheme);
      return NULL;
    }
  if (g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error_literal (error, DFSTD_HTTP_ERROR, 0, "the URL has no host");
      return NULL;
    }
  return g_steal_pointer (&uri);
}

/* A field name is an RFC 9110 token. */
static gboolean
is_header_name (const char *name, gsize len)
{
  if (len == 0)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum (name[i]) && strchr ("!#$%&'*+-.^_`|~", name[i]) == NULL)
      return FALSE;
  return TRUE;
}

/* A field value holds no control character but a tab. */
static gboolean
is_header_value (const char *value)
{
  for (const char *p = value; *p != '\0'; p++)
    if ((g_ascii_iscntrl (*p) && *p != '\t') || *p == '\x7f')
      return FALSE;
  return TRUE;
}

/* Appends one "Name: value" line (a "\r" before its end allowed, white
 * space around the value dropped) to @into. */
static gboolean
add_header_line (SoupMessageHeaders *into, char *line, GError **error)
{
  gsize len = strlen (line);
  if (len > 0 && line[len - 1] == '\r')
    line[--len] = '\0';
  if (len == 0)
    return TRUE;
  char *colon = strchr (line, ':');
  if (colon == NULL || !is_header_name (line, colon - line)
      || !is_header_value (colon + 1))
    {
      g_set_error (error, DFSTD_HTTP_ERROR, 0,
                   "malformed header line \"%s\" (want \"Name: value\")", line);
      return FALSE;
    }
  *colon = '\0';
  soup_message_headers_append (into, line, g_strstrip (colon + 1));
  return TRUE;
}

static gboolean
add_headers (SoupMessage *message, const char *headers, GError **error)
{
  SoupMessageHeaders *into = soup_message_get_request_headers (message);
  g_auto (GStrv) lines = g_strsplit (headers, "\n", -1);
  for (char **line = lines; *line != NULL; line++)
    if (!add_header_line (into, *line, error))
      return FALSE;
  return TRUE;
}

SoupMessage *
dfstd_http_request_new (const char *method, const char *url, const char *query,
                        const char *headers, char **what, GError **error)
{
  g_autofree char *full = compose_url (url, query);
  GError *local = NULL;
  g_autoptr (GUri) uri = parse_url (full, &local);
  if (uri == NULL)
    {
      *what = g_strdup_printf ("%s %s", method, full);
      g_set_error (error, DFSTD_HTTP_ERROR, 0, "%s: invalid URL: %s", *what, local->message);
      g_error_free (local);
      return NULL;
    }
  g_autofree char *shown = g_uri_to_string_partial (uri, G_URI_HIDE_PASSWORD);
  *what = g_strdup_printf ("%s %s", method, shown);
  g_autoptr (SoupMessage) message = soup_message_new_from_uri (method, uri);
  if (!add_headers (message, headers, &local))
    {
      g_propagate_error (error, dfstd_http_error_prefix (local, *what));
      return NULL;
    }
  return g_steal_pointer (&message);
}

void
dfstd_http_request_default_header (SoupMessage *message, const char *name, const char *value)
{
  SoupMessageHeaders *headers = soup_message_get_request_headers (message);
  if (soup_message_headers_get_one (headers, name) == NULL)
    soup_message_headers_append (headers, name, value);
}

GError *
dfstd_http_status_error (SoupMessage *message, const char *what)
{
  guint status = soup_message_get_status (message);
  /* The server's own words when it gave any (and they are text), else
   * the standard phrase. */
  const char *reason = soup_message_get_reason_phrase (message);
  if (reason == NULL || *reason == '\0' || !g_utf8_validate (reason, -1, NULL))
    reason = soup_status_get_phrase (status);
  return g_error_new (DFSTD_HTTP_ERROR, (gint) status, "%s: HTTP %u %s", what, status, reason);
}

GError *
dfstd_http_error_prefix (GError *error, const char *what)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return error;
  GError *prefixed = g_error_new (DFSTD_HTTP_ERROR, 0, "%s: %s", what, error->message);
  g_error_free (error);
  return prefixed;
}

JsonNode *
dfstd_http_parse_json (DfContext *ctx, const char *what, char *body, GError **error)
{
  JsonNode *value = NULL;
  GError *local = NULL;
  if (!parse_json (ctx, body, &value, &local))
    {
      g_propagate_error (error, dfstd_http_error_prefix (local, what));
      return NULL;
    }
  return value;
}
