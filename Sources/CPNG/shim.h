// libpng's simplified API (png_image_*) reports errors through return values, so Swift can call
// it without setjmp/longjmp, which the classic API needs and Swift cannot use.
#include <png.h>
