// The system zlib (Debian: zlib1g-dev), for reading gzip-compressed alert logs and downloads.
#include <zlib.h>
