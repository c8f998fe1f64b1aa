// The module's only function is inline in include/CPrefetch.h; SwiftPM needs one source file.
#include "CPrefetch.h"
