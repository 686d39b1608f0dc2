// libxlsxwriter 1.1.4 as Debian's libxlsxwriter-dev installs it.
#include <xlsxwriter.h>
