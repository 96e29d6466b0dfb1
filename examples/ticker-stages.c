/* ticker-stages.c — the stages of examples/ticker.df.
 *
 * The "sensor" replays a file of readings in degrees Celsius, one per
 * line ('#' starts a comment).  It keeps its place across runs of the
 * flow, as a device would: a restarted ticker reads on where the failed
 * one stopped.  All three stages are sync: they run on the loop thread,
 * so the sensor needs no lock.
 */
#include "ticker.h"

#include <gio/gio.h>
#include <math.h>

static struct {
  char   **lines;      /* the file, read on the first round */
  guint    next;       /* index of the next line */
  gboolean closed;     /* every reading has been read */
} sensor;

static gboolean
sensor_open (const char *samples, GError **error)
{
  g_autofree char *text = NULL;

  if (!g_file_get_contents (samples, &text, NULL, error))
    return FALSE;
  sensor.lines = g_strsplit (text, "\n", -1);
  sensor.next = 0;
  return TRUE;
}

/* The next line with a reading, or NULL at the end of the file. */
static const char *
sensor_next_line (void)
{
  while (sensor.lines[sensor.next] != NULL)
    {
      char *line = g_strstrip (sensor.lines[sensor.next++]);
      if (*line != '\0' && *line != '#')
        return line;
    }
  return NULL;
}

gboolean
read_sensor (DfContext *ctx, const char *samples, double *celsius, GError **error)
{
  if (sensor.closed)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED, "%s: no more readings", samples);
      return FALSE;
    }
  if (sensor.lines == NULL && !sensor_open (samples, error))
    return FALSE;

  const char *line = sensor_next_line ();
  if (line == NULL)
    {
      g_clear_pointer (&sensor.lines, g_strfreev);
      sensor.closed = TRUE;
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED, "%s: no more readings", samples);
      return FALSE;
    }

  char *end;
  double value = g_ascii_strtod (line, &end);
  if (end == line || *end != '\0' || !isfinite (value))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s:%u: not a reading: '%s'", samples, sensor.next, line);
      return FALSE;
    }
  *celsius = value;
  return TRUE;
}

gboolean
to_fahrenheit (DfContext *ctx, double celsius, double *fahrenheit, GError **error)
{
  *fahrenheit = celsius * 9.0 / 5.0 + 32.0;
  return TRUE;
}

gboolean
report (DfContext *ctx, double celsius, double fahrenheit, GError **error)
{
  g_print ("%5.1f C = %5.1f F\n", celsius, fahrenheit);
  return TRUE;
}
