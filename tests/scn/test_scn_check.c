#include "scn.h"
#include "testlib.h"
int main(void){ struct test_ctx ctx={0}; return test_finish(&ctx);}
