/* idx.c - the IDX file format of MNIST and Fashion-MNIST, gzipped or plain, and the
 * loader for a directory of the four standard files.
 *
 * Format (Y. LeCun, C. Cortes, C. Burges, "The MNIST database", yann.lecun.com/exdb/mnist):
 * a big-endian header, the magic number 0x0000TTDD (TT = 0x08 for unsigned bytes, DD = the
 * number of dimensions), then DD big-endian u32 sizes, then prod(sizes) data bytes in
 * row-major order.  Images are 0x00000803 (n, rows, cols), labels 0x00000801 (n).
 *
 * zlib's gzread reads gzip streams and, transparently, plain files, so one code path
 * serves foo-ubyte and foo-ubyte.gz.  Images are read in 1 MiB chunks and converted to
 * float32 in [0, 1] (x = byte / 255) straight into the final array: the u8 file is never
 * held whole, and there is no second float copy.
 * Known limit: zlib silently ignores non-gzip bytes after a complete gzip member, so
 * garbage appended to a .gz file (outside the compressed IDX data) goes unnoticed. */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "nets/dataset.h"

#define IDX_IMAGES 0x00000803u
#define IDX_LABELS 0x00000801u
#define IDX_CHUNK ((size_t)1 << 20) /* bytes per gzread, and zlib's buffer size */

/* zlib's message for f without the "path: " prefix gzerror puts in front of it */
static const char *zlib_msg(gzFile f, const char *path, int *zerr)
{
    const char *m = gzerror(f, zerr);
    size_t len = strlen(path);
    return strncmp(m, path, len) == 0 && m[len] == ':' ? m + len + 2 : m;
}

/* Reads exactly len bytes; a short read is a truncated file (OB_EDATA), a zlib data error
 * a corrupt one (OB_EDATA), an operating-system error OB_EIO.  what names the part read.
 * (zlib inflates ahead in IDX_CHUNK blocks, so a CRC error may surface before the data
 * it covers is asked for: the message then says only "corrupt gzip data".) */
static ob_status read_exact(gzFile f, const char *path, void *buf, size_t len,
                            const char *what, ob_error *err)
{
    int got = gzread(f, buf, (unsigned)len); /* callers keep len <= IDX_CHUNK */
    if (got == (int)len) return OB_OK;
    int zerr = Z_OK;
    const char *zmsg = zlib_msg(f, path, &zerr);
    if (zerr == Z_ERRNO)
        return ob_fail(err, OB_EIO, "cannot read %s: %s", path, strerror(errno));
    if (zerr != Z_OK && zerr != Z_BUF_ERROR) /* Z_BUF_ERROR: gzip stream cut short */
        return ob_fail(err, OB_EDATA, "%s: corrupt gzip data (zlib: %s)", path, zmsg);
    return ob_fail(err, OB_EDATA, "%s: truncated: the file ends inside the %s", path, what);
}

/* Opens path and checks its header: the magic number must be `magic` and every size
 * must be >= 1.  On success *f is open and dims[0..ndims-1] hold the sizes. */
static ob_status idx_open(const char *path, uint32_t magic, size_t *dims, gzFile *f,
                          ob_error *err)
{
    errno = 0;
    *f = gzopen(path, "rb");
    if (!*f) {
        int e = errno;
        return ob_fail(err, OB_EIO, "cannot open %s: %s", path,
                       e ? strerror(e) : "out of memory");
    }
    gzbuffer(*f, IDX_CHUNK);
    unsigned ndims = magic & 0xffu;
    unsigned char h[12];
    ob_status st = read_exact(*f, path, h, 4, "IDX magic number", err);
    if (st == OB_OK) {
        uint32_t m = (uint32_t)h[0] << 24 | (uint32_t)h[1] << 16 | (uint32_t)h[2] << 8 | h[3];
        if (m != magic)
            st = ob_fail(err, OB_EDATA, "%s: bad magic number 0x%08x, expected 0x%08x (IDX %s)",
                         path, (unsigned)m, (unsigned)magic,
                         magic == IDX_IMAGES ? "images" : "labels");
    }
    if (st == OB_OK) st = read_exact(*f, path, h, 4 * ndims, "IDX header", err);
    for (unsigned k = 0; st == OB_OK && k < ndims; k++) {
        const unsigned char *b = h + 4 * k;
        dims[k] = (size_t)((uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3]);
        if (dims[k] == 0)
            st = ob_fail(err, OB_EDATA, "%s: dimension %u of the IDX header is 0", path, k + 1);
    }
    if (st != OB_OK) gzclose(*f), *f = NULL;
    return st;
}

/* After the data, the file must end: one more byte is trailing garbage, and for a gzip
 * file the stream's trailer (CRC-32 and length, RFC 1952) must be intact.  zlib reports
 * a cut trailer as Z_BUF_ERROR with gzread returning 0, so the error state is checked
 * whatever gzread returned. */
static ob_status idx_close(gzFile f, const char *path, size_t nbytes, ob_error *err)
{
    unsigned char extra;
    int got = gzread(f, &extra, 1), zerr = Z_OK;
    const char *zmsg = zlib_msg(f, path, &zerr);
    ob_status st = OB_OK;
    if (got > 0)
        st = ob_fail(err, OB_EDATA, "%s: trailing bytes after the %zu data bytes the header "
                     "announces", path, nbytes);
    else if (zerr == Z_ERRNO)
        st = ob_fail(err, OB_EIO, "cannot read %s: %s", path, strerror(errno));
    else if (zerr == Z_BUF_ERROR)
        st = ob_fail(err, OB_EDATA, "%s: truncated: the gzip stream ends before its trailer",
                     path);
    else if (got < 0 || zerr != Z_OK)
        st = ob_fail(err, OB_EDATA, "%s: corrupt gzip data (zlib: %s)", path, zmsg);
    gzclose(f);
    return st;
}

/* The header's sizes are not trusted with memory: the output array grows (doubling from
 * IDX_CHUNK items, capped at total) as the data actually arrives, so a corrupt 16-byte
 * header announcing 2^32 items is a truncated file, not a 16 GB allocation.  (glibc
 * grows large blocks with mremap: no copy, and the peak stays the final array.) */
static void *grow(void *p, size_t *cap, size_t need, size_t total, size_t elem)
{
    if (need <= *cap) return p;
    size_t c = *cap ? *cap : IDX_CHUNK;
    while (c < need) c = c > total / 2 ? total : 2 * c;
    if (c > total) c = total;
    void *q = realloc(p, c * elem); /* NULL: p is still valid */
    if (q) *cap = c;
    return q;
}

ob_status ob_idx_read_images(const char *path, float **x, size_t *n, size_t *d, ob_error *err)
{
    *x = NULL, *n = 0, *d = 0;
    size_t dims[3];
    gzFile f;
    ob_status st = idx_open(path, IDX_IMAGES, dims, &f, err);
    if (st != OB_OK) return st;
    size_t pix = dims[1] * dims[2]; /* each < 2^32, so the product fits in 64 bits */
    if (pix > SIZE_MAX / sizeof(float) / dims[0]) {
        gzclose(f);
        return ob_fail(err, OB_EDATA, "%s: %zu x %zu x %zu images is too large", path,
                       dims[0], dims[1], dims[2]);
    }
    size_t total = dims[0] * pix, cap = 0;
    float *out = NULL;
    unsigned char *buf = malloc(IDX_CHUNK);
    if (!buf) {
        gzclose(f);
        return ob_fail(err, OB_ENOMEM, "%s: out of memory", path);
    }
    /* x = byte / 255: exact for 0 and 255, correctly rounded in between */
    for (size_t off = 0; st == OB_OK && off < total; off += IDX_CHUNK) {
        size_t len = total - off < IDX_CHUNK ? total - off : IDX_CHUNK;
        st = read_exact(f, path, buf, len, "image data", err);
        float *grown = st == OB_OK ? grow(out, &cap, off + len, total, sizeof *out) : NULL;
        if (grown) out = grown;
        else if (st == OB_OK)
            st = ob_fail(err, OB_ENOMEM, "%s: out of memory for %zu pixels", path, total);
        for (size_t i = 0; st == OB_OK && i < len; i++) out[off + i] = (float)buf[i] / 255.0f;
    }
    free(buf);
    if (st == OB_OK) st = idx_close(f, path, total, err);
    else gzclose(f);
    if (st != OB_OK) {
        free(out);
        return st;
    }
    *x = out, *n = dims[0], *d = pix;
    return OB_OK;
}

ob_status ob_idx_read_labels(const char *path, int32_t **y, size_t *n, ob_error *err)
{
    *y = NULL, *n = 0;
    size_t dims[1];
    gzFile f;
    ob_status st = idx_open(path, IDX_LABELS, dims, &f, err);
    if (st != OB_OK) return st;
    int32_t *out = NULL;
    size_t cap = 0;
    unsigned char *buf = malloc(IDX_CHUNK);
    if (!buf) {
        gzclose(f);
        return ob_fail(err, OB_ENOMEM, "%s: out of memory", path);
    }
    for (size_t off = 0; st == OB_OK && off < dims[0]; off += IDX_CHUNK) {
        size_t len = dims[0] - off < IDX_CHUNK ? dims[0] - off : IDX_CHUNK;
        st = read_exact(f, path, buf, len, "label data", err);
        int32_t *grown = st == OB_OK ? grow(out, &cap, off + len, dims[0], sizeof *out) : NULL;
        if (grown) out = grown;
        else if (st == OB_OK)
            st = ob_fail(err, OB_ENOMEM, "%s: out of memory for %zu labels", path, dims[0]);
        for (size_t i = 0; st == OB_OK && i < len; i++) out[off + i] = buf[i];
    }
    free(buf);
    if (st == OB_OK) st = idx_close(f, path, dims[0], err);
    else gzclose(f);
    if (st != OB_OK) {
        free(out);
        return st;
    }
    *y = out, *n = dims[0];
    return OB_OK;
}

/* DIR/BASE if it exists, else DIR/BASE.gz if it exists, else OB_EIO naming both. */
static ob_status find_file(const char *dir, const char *base, char *path, size_t cap,
                           ob_error *err)
{
    if ((size_t)snprintf(path, cap, "%s/%s", dir, base) >= cap - 3)
        return ob_fail(err, OB_EINVAL, "data directory name too long: %s", dir);
    if (access(path, F_OK) == 0) return OB_OK;
    strcat(path, ".gz");
    if (access(path, F_OK) == 0) return OB_OK;
    return ob_fail(err, OB_EIO, "cannot open %s/%s (nor %s.gz): %s", dir, base, base,
                   strerror(ENOENT));
}

/* Reads one images + labels pair into ds; counts must agree. */
static ob_status load_pair(const char *dir, const char *prefix, const char *name,
                           ob_dataset *ds, ob_error *err)
{
    char ipath[PATH_MAX], lpath[PATH_MAX], base[64];
    snprintf(base, sizeof base, "%s-images-idx3-ubyte", prefix);
    ob_status st = find_file(dir, base, ipath, sizeof ipath, err);
    snprintf(base, sizeof base, "%s-labels-idx1-ubyte", prefix);
    if (st == OB_OK) st = find_file(dir, base, lpath, sizeof lpath, err);
    size_t ni = 0, nl = 0;
    if (st == OB_OK) st = ob_idx_read_images(ipath, &ds->x, &ni, &ds->d, err);
    if (st == OB_OK) st = ob_idx_read_labels(lpath, &ds->y, &nl, err);
    if (st == OB_OK && ni != nl)
        st = ob_fail(err, OB_EDATA, "%s: %zu labels, but %s has %zu images", lpath, nl, ipath, ni);
    ds->n = ni;
    for (size_t i = 0; st == OB_OK && i < ni; i++)
        if ((size_t)ds->y[i] + 1 > ds->classes) ds->classes = (size_t)ds->y[i] + 1;
    snprintf(ds->name, sizeof ds->name, "%s", name);
    if (st != OB_OK) ob_dataset_free(ds);
    return st;
}

ob_status ob_load_idx_dir(const char *dir, size_t n_val, unsigned long seed, ob_splits *out,
                          ob_error *err)
{
    memset(out, 0, sizeof *out);
    /* names "<last component of dir>/train" etc., e.g. "fashion-mnist/train" */
    size_t len = strlen(dir);
    while (len > 1 && dir[len - 1] == '/') len--;
    size_t start = len;
    while (start > 0 && dir[start - 1] != '/') start--;
    char tag[40], name[64];
    snprintf(tag, sizeof tag, "%.*s", (int)(len - start), dir + start);

    snprintf(name, sizeof name, "%s/train", tag);
    ob_status st = load_pair(dir, "train", name, &out->train, err);
    if (st == OB_OK && n_val >= out->train.n)
        st = ob_fail(err, OB_EINVAL, "%s: cannot hold out %zu validation samples of %zu",
                     dir, n_val, out->train.n);
    /* the split comes before the test file is read, so the peak is train + val only */
    snprintf(name, sizeof name, "%s/val", tag);
    if (st == OB_OK) st = ob_dataset_hold_out(&out->train, n_val, seed, &out->val, name, err);
    snprintf(name, sizeof name, "%s/test", tag);
    if (st == OB_OK) st = load_pair(dir, "t10k", name, &out->test, err);
    if (st == OB_OK && out->test.d != out->train.d)
        st = ob_fail(err, OB_EDATA, "%s: test images have %zu pixels, training images %zu",
                     dir, out->test.d, out->train.d);
    if (st != OB_OK) {
        ob_splits_free(out);
        return st;
    }
    /* one class count for all three splits: labels are 0 .. classes-1 everywhere */
    size_t k = out->train.classes > out->test.classes ? out->train.classes : out->test.classes;
    out->train.classes = out->val.classes = out->test.classes = k;
    return OB_OK;
}
