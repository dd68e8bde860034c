/* fuzz_json.c - the reader of a results directory's optbench.json (report/provenance.c:
 * ob_provenance_read, through cJSON, and ob_provenance_check, which plot and compare
 * call) and what reads the tree it gives: the report's machine section
 * (report/machine.c, the machine object's keys and the version, suite, times and command
 * line as table cells).  The input is the file optbench.json of a directory of its own.
 * A read either gives a tree with an integer format from 1 to OB_PROVENANCE_FORMAT, or
 * fails with OB_EDATA/OB_EINVAL (OB_EIO, OB_ENOMEM) and a message naming the file, with
 * no tree; check agrees with read; nothing may leak, crash or hang. */
#include <cjson/cJSON.h>
#include <stdint.h>

#include "fuzz/fuzz_util.h"
#include "report/doc.h"
#include "report/provenance.h"
#include "report/sections.h"

static char json_dir[4096], json_path[4200];

static void remove_dir(void)
{
    unlink(json_path);
    rmdir(json_dir);
}

/* the input as DIR/optbench.json; returns DIR */
static const char *write_json(const uint8_t *data, size_t size)
{
    if (!json_dir[0]) {
        const char *tmp = getenv("TMPDIR");
        snprintf(json_dir, sizeof json_dir, "%s/optbench-fuzz-json-XXXXXX", tmp && *tmp ? tmp : "/tmp");
        if (!mkdtemp(json_dir)) {
            perror(json_dir);
            abort();
        }
        snprintf(json_path, sizeof json_path, "%s/optbench.json", json_dir);
        atexit(remove_dir);
    }
    FILE *f = fopen(json_path, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0) {
        perror(json_path);
        abort();
    }
    return json_dir;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *dir = write_json(data, size);
    cJSON *j = (cJSON *)1;
    ob_error e = {{0}};
    ob_status st = ob_provenance_read(dir, &j, &e);
    if (st == OB_OK) {
        FUZZ_CHECK(j != NULL, "read: OB_OK without a tree (the file exists)");
        const cJSON *fmt = cJSON_GetObjectItemCaseSensitive(j, "format");
        FUZZ_CHECK(cJSON_IsNumber(fmt) && fmt->valuedouble >= 1 &&
                       fmt->valuedouble <= OB_PROVENANCE_FORMAT &&
                       fmt->valuedouble == (double)fmt->valueint,
                   "read: accepted a format that is not an integer from 1 to %d",
                   OB_PROVENANCE_FORMAT);
        cJSON_Delete(j);
    } else {
        fuzz_check_error(st, &e, json_path, "ob_provenance_read");
        FUZZ_CHECK(j == NULL, "read: a tree left on failure");
        FUZZ_CHECK(st == OB_EDATA || st == OB_EINVAL || st == OB_EIO || st == OB_ENOMEM,
                   "read: status %s", ob_status_name(st));
    }

    /* plot's and compare's question: the same answer, no note (the file is there) */
    char note[512];
    int bad = -1;
    ob_error e2 = {{0}};
    const char *said = ob_provenance_check(dir, note, sizeof note, &bad, &e2);
    FUZZ_CHECK(bad == (st != OB_OK) && said == NULL, "check: bad %d, note %s, read %s", bad,
               said ? said : "none", ob_status_name(st));
    if (bad) FUZZ_CHECK(!strcmp(e.msg, e2.msg), "check: another message: %s", e2.msg);

    /* the report's machine section reads the tree */
    ob_report_tables t;
    memset(&t, 0, sizeof t);
    t.dir = dir;
    ob_doc d;
    if (ob_doc_open(&d, NULL) != OB_OK) return 0;
    ob_section_machine(&d, &t, 0);
    char *md = NULL;
    if (ob_doc_finish(&d, &md, NULL) == OB_OK) {
        FUZZ_CHECK(md && strstr(md, "Machine, versions and timing"), "report: no section");
        free(md);
    }
    return 0;
}
