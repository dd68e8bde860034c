/* machine.c - the report's "Machine, versions and timing" section, from machine.csv
 * (key,value rows written by optbench bench) and the time this rendering took. */
#include <string.h>

#include "report/sections.h"

const char *ob_machine_get(const ob_report_tables *t, const char *key)
{
    if (!t->have_machine) return NULL;
    int k = ob_table_col(&t->machine, "key"), v = ob_table_col(&t->machine, "value");
    for (size_t i = 0; i < t->machine.rows; i++)
        if (strcmp(ob_table_str(&t->machine, i, k), key) == 0) return ob_table_str(&t->machine, i, v);
    return NULL;
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
    if (t->have_machine)
        machine_table(d, t);
    else
        ob_doc_p(d, "No machine.csv was found: the machine and versions are unknown.");
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
