/* fuzz_idx.c - the IDX reader (nets/idx.c): ob_idx_read_images and ob_idx_read_labels
 * on one file holding the input bytes, plain or gzipped (zlib's gzread reads both).
 * Either call must succeed with data that matches the header, or fail with a status and
 * a message naming the file; nothing may leak, crash or hang. */
#include <stdint.h>

#include "fuzz/fuzz_util.h"
#include "nets/dataset.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_write_file(data, size, "-idx-ubyte");
    ob_error e = {{0}};

    float *x = (float *)1;
    size_t n = 1, d = 1;
    ob_status st = ob_idx_read_images(path, &x, &n, &d, &e);
    if (st == OB_OK) {
        FUZZ_CHECK(x && n >= 1 && d >= 1, "images: n %zu d %zu", n, d);
        for (size_t i = 0; i < n * d; i++)
            FUZZ_CHECK(x[i] >= 0.0f && x[i] <= 1.0f, "pixel %zu = %g", i, (double)x[i]);
        free(x);
    } else {
        fuzz_check_error(st, &e, path, "ob_idx_read_images");
        FUZZ_CHECK(x == NULL && n == 0 && d == 0, "images: outputs not reset on failure");
    }

    e.msg[0] = '\0';
    int32_t *y = (int32_t *)1;
    n = 1;
    st = ob_idx_read_labels(path, &y, &n, &e);
    if (st == OB_OK) {
        FUZZ_CHECK(y && n >= 1, "labels: n %zu", n);
        for (size_t i = 0; i < n; i++)
            FUZZ_CHECK(y[i] >= 0 && y[i] <= 255, "label %zu = %d", i, (int)y[i]);
        free(y);
    } else {
        fuzz_check_error(st, &e, path, "ob_idx_read_labels");
        FUZZ_CHECK(y == NULL && n == 0, "labels: outputs not reset on failure");
    }
    return 0;
}
