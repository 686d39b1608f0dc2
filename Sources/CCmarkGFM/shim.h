// cmark-gfm's core parser and its GitHub extensions (autolink, strikethrough,
// table, tasklist), as Debian's libcmark-gfm-dev and
// libcmark-gfm-extensions-dev install them.
#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
