/* figure.c - the stability experiment's figure (the recipe "stability", figures/stability.png
 * of a directory `optbench stability` wrote): from stability.csv and the run files it
 * names, the network runs' sharpness and thresholds with their loss beneath, beside the
 * quadratic's two runs, as two panels of the sharpness figure (plots/fig_sharpness.h). */
#include "experiments/stability/stability.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plots/draw.h"
#include "plots/fig_sharpness.h"
#include "plots/recipes.h"
#include "experiments/experiment.h"


static int has_stability(const char *dir, const char *w)
{
    (void)w;
    char path[4096];
    return ob_file_exists(ob_pathf(path, sizeof path, "%s/stability.csv", dir));
}

ob_status ob_plot_stability(const char *dir, const char *workload, const char *png, ob_error *err)
{
    (void)workload;
    char path[4096];
    ob_table t;
    ob_status st = ob_table_read(ob_pathf(path, sizeof path, "%s/stability.csv", dir), &t, err);
    if (st != OB_OK) return st;
    const char *names[] = {"run", "problem", "optimizer", "lr", "momentum", "file"};
    int col[6];
    if ((st = ob_need_cols(&t, path, names, col, 6, err)) != OB_OK || t.rows > OB_MAX_SERIES) {
        ob_table_free(&t);
        return st != OB_OK ? st : ob_fail(err, OB_EDATA, "%s: too many runs", path);
    }
    ob_sharp_series s[2][OB_MAX_SERIES];
    char label[OB_MAX_SERIES][96], color[OB_MAX_SERIES][8];
    double *bufs[OB_MAX_SERIES] = {0};
    size_t n[2] = {0, 0};
    for (size_t i = 0; i < t.rows && st == OB_OK; i++) {
        int quad = strcmp(ob_table_str(&t, i, col[1]), "quadratic") == 0;
        ob_sharp_series *x = &s[quad][n[quad]++];
        double lr = ob_table_num(&t, i, col[3]), mu = ob_table_num(&t, i, col[4]);
        snprintf(label[i], sizeof label[i], "%s%s, lr %.3g", ob_table_str(&t, i, col[2]),
                 mu > 0 ? " (mu 0.9)" : "", lr);
        /* the optimizer's colour and point; its second and third run in the panel
         * lighter, with the next point types */
        const char *opt = ob_table_str(&t, i, col[2]);
        size_t again = 0;
        for (size_t j = 0; j < i; j++)
            again += strcmp(ob_table_str(&t, j, col[2]), opt) == 0 &&
                     !strcmp(ob_table_str(&t, j, col[1]), ob_table_str(&t, i, col[1]));
        ob_style sty = ob_style_of(opt);
        ob_color_tint(sty.color, again == 0 ? 0 : again == 1 ? 0.45 : 0.65, color[i]);
        *x = (ob_sharp_series){.name = label[i], .lr_label = lr, .color = color[i],
                               .point = (sty.point - 1 + (int)again) % 15 + 1};
        char log[4096]; /* a training CSV's estimates are in its step log */
        if (!ob_sharp_file(ob_pathf(path, sizeof path, "%s/%s", dir, ob_table_str(&t, i, col[5])),
                        log, sizeof log))
            st = ob_fail(err, OB_EDATA, "%s: no sharpness column", path);
        else st = ob_sharp_load(log, x, &bufs[i], err);
    }
    if (st == OB_OK) {
        gp_script b;
        gp_begin(&b);
        fputs("set multiplot\n", b.f);
        ob_fig_sharpness_script(b.f, s[0], n[0], NAN, "Fashion-MNIST, full batch: sharpness "
                                "(adam: of P^-1 H) and thresholds (dashed)",
                                "training loss", 0, 0.5);
        ob_fig_sharpness_script(b.f, s[1], n[1], NAN, "quadratic: gd just below and above "
                                "2/kappa (sharpness = kappa)", "loss", 0.5, 0.5);
        fputs("unset multiplot\n", b.f);
        st = gp_render(&b, png, 1600, 760, err);
    }
    for (size_t i = 0; i < t.rows; i++) free(bufs[i]);
    ob_table_free(&t);
    return st;
}

static const ob_plot_recipe stability_recipe = {
    .name = "stability", .scope = OB_SCOPE_SUITE, .section = OB_SECTION_REFERENCE,
    .caption = "The edge of stability (`optbench stability`; Cohen et al., 2021, Fig. 1): left, the "
               "sharpness of full-batch runs on a Fashion-MNIST subset against each rule's threshold "
               "(dashed), the training loss beneath; right, gradient descent on a quadratic with "
               "condition number κ just below and just above 2/κ.",
    .applies = has_stability, .draw = ob_plot_stability};

static const ob_plot_recipe *const stability_recipes[] = {&stability_recipe, NULL};

/* `optbench stability` is its own command (cli/cmd_stability.c), not a step of the
 * benchmark; `optbench plot` of its directory draws the figure */
const ob_experiment ob_exp_stability = {.name = "stability", .recipes = stability_recipes};
