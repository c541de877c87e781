/* Which image format a path asks for (by its extension). */
#ifndef RENDER_FILES_H
#define RENDER_FILES_H

#include "mumloc.h"

typedef enum render_format { RENDER_FORMAT_PNG, RENDER_FORMAT_TIFF } render_format;

mumloc_status render_image_format(const char *path, render_format *format);

#endif
