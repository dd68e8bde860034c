/* machine.c - the report's "Machine, versions and timing" section: the machine table
 * from optbench.json (report/provenance.h; machine.csv's key,value rows for a directory
 * written before it existed), the timings from machine.csv's seconds_* rows and the time
 * this rendering took. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

#include "report/provenance.h"
#include "report/sections.h"

const char *ob_machine_get(const ob_report_tables *t, const char *key)
{
    if (!t->have_machine) return NULL;
    int k = ob_table_col(&t->machine, "key"), v = ob_table_col(&t->machine, "value");
    for (size_t i = 0; i < t->machine.rows; i++)
        if (strcmp(ob_table_str(&t->machine, i, k), key) == 0) return ob_table_str(&t->machine, i, v);
    return NULL;
}

/* a JSON value as a cell: strings as they are, numbers %g, booleans yes/no, arrays of
 * strings joined by spaces */
static const char *json_cell(char *buf, size_t cap, const cJSON *v)
{
    buf[0] = '\0';
    if (cJSON_IsString(v)) snprintf(buf, cap, "%s", v->valuestring);
    else if (cJSON_IsNumber(v)) snprintf(buf, cap, "%g", v->valuedouble);
    else if (cJSON_IsBool(v)) snprintf(buf, cap, "%s", cJSON_IsTrue(v) ? "yes" : "no");
    else if (cJSON_IsArray(v)) {
        size_t used = 0;
        const cJSON *e;
        cJSON_ArrayForEach(e, v) if (cJSON_IsString(e) && used < cap)
            used += (size_t)snprintf(buf + used, cap - used, "%s%s", used ? " " : "", e->valuestring);
    }
    return buf;
}

/* the rows of optbench.json the reader wants to see: the machine object's keys, then the
 * version, the suite, the times and the command line */
static int json_table(ob_doc *d, const ob_report_tables *t)
{
    cJSON *j = NULL;
    if (!t->dir || ob_provenance_read(t->dir, &j, NULL) != OB_OK || !j) return 0;
    static const char *const head[] = {"", "value"};
    ob_doc_table_head(d, head, 2, "ll");
    char buf[1024], key[64];
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(j, "machine"), *e;
    if (!cJSON_IsObject(m)) m = NULL; /* its keys are the rows (an array's items have none) */
    cJSON_ArrayForEach(e, m) {
        const char *cells[2] = {e->string, json_cell(buf, sizeof buf, e)};
        ob_doc_table_row(d, cells, 2);
    }
    const cJSON *ob = cJSON_GetObjectItemCaseSensitive(j, "optbench");
    snprintf(key, sizeof key, "optbench");
    char ver[256];
    snprintf(ver, sizeof ver, "%s (commit %s)",
             json_cell(buf, sizeof buf, cJSON_GetObjectItemCaseSensitive(ob, "version")),
             cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ob, "commit"))
                 ? cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ob, "commit")) : "?");
    const char *vc[2] = {key, ver};
    ob_doc_table_row(d, vc, 2);
    const cJSON *suite = cJSON_GetObjectItemCaseSensitive(j, "suite");
    const char *sc[2] = {"suite", json_cell(buf, sizeof buf, cJSON_GetObjectItemCaseSensitive(suite, "name"))};
    ob_doc_table_row(d, sc, 2);
    static const char *const keys[] = {"started", "finished", "command_line"};
    for (size_t k = 0; k < 3; k++) {
        const char *cells[2] = {keys[k], json_cell(buf, sizeof buf,
                                                   cJSON_GetObjectItemCaseSensitive(j, keys[k]))};
        ob_doc_table_row(d, cells, 2);
    }
    ob_doc_table_end(d);
    cJSON_Delete(j);
    return 1;
}

/* every key but the timings (next table) and the tuning criterion (its own section) */
static void machine_table(ob_doc *d, const ob_report_tables *t)
{
    static const char *const head[] = {"", "value"};
    ob_doc_table_head(d, head, 2, "ll");
    int k = ob_table_col(&t->machine, "key"), v = ob_table_col(&t->machine, "value");
    for (size_t i = 0; i < t->machine.rows; i++) {
        const char *key = ob_table_str(&t->machine, i, k);
        if (strncmp(key, "seconds_", 8) == 0 || strcmp(key, "tuning_criterion") == 0) continue;
        const char *cells[2] = {key, ob_table_str(&t->machine, i, v)};
        ob_doc_table_row(d, cells, 2);
    }
    ob_doc_table_end(d);
}

void ob_section_machine(ob_doc *d, const ob_report_tables *t, double seconds_plots)
{
    ob_doc_h(d, 2, "Machine, versions and timing");
    if (json_table(d, t))
        ob_doc_p(d, "From `optbench.json` (the whole suite definition, the command line and "
                    "the file list are there too).");
    else if (t->have_machine)
        machine_table(d, t);
    else
        ob_doc_p(d, "No optbench.json or machine.csv was found: the machine and versions are "
                    "unknown.");
    static const char *const head[] = {"part", "wall-clock time"};
    ob_doc_table_head(d, head, 2, "lr");
    int plots_seen = 0; /* machine.csv's seconds_plots: this is a later rendering */
    int k = t->have_machine ? ob_table_col(&t->machine, "key") : -1;
    int v = t->have_machine ? ob_table_col(&t->machine, "value") : -1;
    for (size_t i = 0; t->have_machine && i < t->machine.rows; i++) {
        const char *key = ob_table_str(&t->machine, i, k);
        if (strncmp(key, "seconds_", 8) != 0) continue;
        plots_seen |= strcmp(key, "seconds_plots") == 0;
        ob_cell c;
        const char *cells[2] = {key + 8, ob_fmt_time(c, ob_table_num(&t->machine, i, v))};
        ob_doc_table_row(d, cells, 2);
    }
    ob_cell c;
    const char *cells[2] = {plots_seen ? "this rendering (optbench plot)" : "plots",
                            ob_fmt_time(c, seconds_plots)};
    ob_doc_table_row(d, cells, 2);
    ob_doc_table_end(d);
}
