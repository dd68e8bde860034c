/* test_style.c - the palette (plots/style.c): every pair of optimizers that can be drawn
 * together (the registry's rules, GSL's references among them, and the spare styles of
 * unknown names) at least CIE76 dE 30 apart, each at least 30 from white and from the
 * shading's darkest fill; a (point, dash) pair of its own for each; a different dash for
 * every pair of built-ins that a colour-blind reader sees alike (Machado et al. 2009's simulation of
 * protanopia, deuteranopia and tritanopia, severity 1); the series colours 30 apart.  The
 * L*a*b* conversion is checked against published values first. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "tests/runner.h"

#include "optimizers/optimizer.h"
#include "plots/style.h"

#define MIN_DE 30.0
#define CVD_DE 10.0 /* closer than this under a simulated deficiency: the dashes differ */

typedef struct {
    double L, a, b;
} lab;

static double srgb_lin(double c)
{
    c /= 255;
    return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

static double lab_f(double t)
{
    const double d = 6.0 / 29;
    return t > d * d * d ? cbrt(t) : t / (3 * d * d) + 4.0 / 29;
}

/* linear RGB -> XYZ (D65) -> L*a*b* */
static lab lin_lab(const double c[3])
{
    double X = 0.4124564 * c[0] + 0.3575761 * c[1] + 0.1804375 * c[2];
    double Y = 0.2126729 * c[0] + 0.7151522 * c[1] + 0.0721750 * c[2];
    double Z = 0.0193339 * c[0] + 0.1191920 * c[1] + 0.9503041 * c[2];
    double fx = lab_f(X / 0.95047), fy = lab_f(Y), fz = lab_f(Z / 1.08883);
    return (lab){116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)};
}

static void hex_lin(const char *h, double c[3])
{
    assert_int_equal(strlen(h), 7);
    assert_int_equal(h[0], '#');
    unsigned long v = strtoul(h + 1, NULL, 16);
    c[0] = srgb_lin((double)(v >> 16 & 255));
    c[1] = srgb_lin((double)(v >> 8 & 255));
    c[2] = srgb_lin((double)(v & 255));
}

static lab hex_lab(const char *h)
{
    double c[3];
    hex_lin(h, c);
    return lin_lab(c);
}

static double de(const char *x, const char *y)
{
    lab p = hex_lab(x), q = hex_lab(y);
    return sqrt((p.L - q.L) * (p.L - q.L) + (p.a - q.a) * (p.a - q.a) + (p.b - q.b) * (p.b - q.b));
}

/* Machado, Oliveira and Fernandes (2009), severity 1, on linear RGB (clipped to [0, 1]) */
static const double cvd[3][3][3] = {
    {{0.152286, 1.052583, -0.204868}, {0.114503, 0.786281, 0.099216}, {-0.003882, -0.048116, 1.051998}},
    {{0.367322, 0.860646, -0.227968}, {0.280085, 0.672501, 0.047413}, {-0.011820, 0.042940, 0.968881}},
    {{1.255528, -0.076749, -0.178779}, {-0.078411, 0.930809, 0.147602}, {0.004733, 0.691367, 0.303900}}};
static const char *const cvd_name[3] = {"protanopia", "deuteranopia", "tritanopia"};

static lab cvd_lab(const char *h, int k)
{
    double c[3], o[3];
    hex_lin(h, c);
    for (int i = 0; i < 3; i++) {
        o[i] = cvd[k][i][0] * c[0] + cvd[k][i][1] * c[1] + cvd[k][i][2] * c[2];
        o[i] = o[i] < 0 ? 0 : o[i] > 1 ? 1 : o[i];
    }
    return lin_lab(o);
}

/* every style that can be drawn together: the registry's rules, then the spares */
static size_t all_styles(ob_style *s, size_t *nfixed)
{
    size_t n = 0;
    for (size_t i = 0; ob_optimizer_types[i]; i++) s[n++] = ob_style_of(ob_optimizer_types[i]->name);
    *nfixed = n;
    const ob_style *sp;
    size_t m = ob_style_spares(&sp);
    for (size_t i = 0; i < m; i++) {
        s[n] = sp[i];
        s[n++].name = NULL;
    }
    return n;
}

/* a style's name in messages; i: its index among the spares */
static const char *label(const ob_style *s, size_t i)
{
    static char buf[4][32];
    static int k;
    k = (k + 1) % 4;
    if (s->name) return s->name;
    snprintf(buf[k], sizeof buf[k], "spare %zu", i);
    return buf[k];
}

static void test_lab_conversion(void **st)
{
    (void)st;
    /* published sRGB (D65) -> CIELAB values */
    static const struct { const char *hex; double L, a, b; } ref[] = {
        {"#ff0000", 53.2408, 80.0925, 67.2032},  {"#00ff00", 87.7347, -86.1827, 83.1793},
        {"#0000ff", 32.2970, 79.1875, -107.8602}, {"#808080", 53.5850, 0.0, 0.0},
        {"#ffffff", 100.0, 0.0, 0.0},
    };
    for (size_t i = 0; i < sizeof ref / sizeof *ref; i++) {
        lab p = hex_lab(ref[i].hex);
        assert_true(fabs(p.L - ref[i].L) < 0.01);
        assert_true(fabs(p.a - ref[i].a) < 0.01);
        assert_true(fabs(p.b - ref[i].b) < 0.01);
    }
    assert_true(fabs(de("#ff0000", "#0000ff") - 176.3) < 0.1);
}

static void test_colours_apart(void **st)
{
    (void)st;
    ob_style s[OB_OPTIMIZERS_MAX + 64];
    size_t nf, n = all_styles(s, &nf);
    assert_true(nf >= 16); /* 14 rules and GSL's two references */
    assert_non_null(ob_optimizer_find("gsl-bfgs"));
    assert_non_null(ob_optimizer_find("gsl-cg"));
    assert_true(n >= nf + 8);
    double mn = INFINITY, mf = INFINITY;
    size_t mi = 0, mj = 0, fi = 0, fj = 0;
    for (size_t i = 0; i < n; i++) {
        if (i < nf) assert_true(ob_style_fixed(s[i].name)); /* no built-in on a spare */
        double w = fmin(de(s[i].color, "#ffffff"), de(s[i].color, OB_SHADE_LIGHT)),
               d = fmin(de(s[i].color, OB_SHADE_MID), de(s[i].color, OB_SHADE_DARK));
        if (w < MIN_DE || d < MIN_DE)
            fail_msg("%s %s: dE %.1f from white, %.1f from the shading", label(&s[i], i - nf),
                     s[i].color, w, d);
        for (size_t j = i + 1; j < n; j++) {
            double e = de(s[i].color, s[j].color);
            if (e < MIN_DE)
                fail_msg("%s %s and %s %s: dE %.1f < %.0f", label(&s[i], i - nf), s[i].color,
                         label(&s[j], j - nf), s[j].color, e, MIN_DE);
            if (e < mn) mn = e, mi = i, mj = j;
            if (j < nf && e < mf) mf = e, fi = i, fj = j;
        }
    }
    printf("closest built-in pair: %s/%s dE %.1f; closest of all %zu styles: %s/%s dE %.1f\n",
           s[fi].name, s[fj].name, mf, n, label(&s[mi], mi - nf), label(&s[mj], mj - nf), mn);
}

static void test_points_and_dashes(void **st)
{
    (void)st;
    ob_style s[OB_OPTIMIZERS_MAX + 64];
    size_t nf, n = all_styles(s, &nf);
    for (size_t i = 0; i < n; i++) {
        assert_in_range(s[i].point, 1, 15); /* pngcairo's 15 point types, then repeats */
        assert_true(s[i].dash == 1 || s[i].dash == 2 || s[i].dash == 4 || s[i].dash == 5);
        for (size_t j = i + 1; j < n; j++) {
            if (s[i].point == s[j].point && s[i].dash == s[j].dash)
                fail_msg("%s and %s: the same point %d and dash %d", label(&s[i], i - nf),
                         label(&s[j], j - nf), s[i].point, s[i].dash);
            /* the built-ins' points differ but for one pair (15 types for 16 rules) */
            if (j < nf && s[i].point == s[j].point) assert_int_not_equal(s[i].dash, s[j].dash);
            for (int k = 0; j < nf && k < 3; k++) { /* the built-ins' pairs */
                lab p = cvd_lab(s[i].color, k), q = cvd_lab(s[j].color, k);
                double e = sqrt((p.L - q.L) * (p.L - q.L) + (p.a - q.a) * (p.a - q.a) +
                                (p.b - q.b) * (p.b - q.b));
                if (e < CVD_DE && s[i].dash == s[j].dash)
                    fail_msg("%s and %s: dE %.1f under %s and the same dash", label(&s[i], i - nf),
                             label(&s[j], j - nf), e, cvd_name[k]);
            }
        }
    }
    /* GSL's references are the dashed ones */
    assert_int_equal(ob_style_of("gsl-bfgs").dash, 2);
    assert_int_equal(ob_style_of("gsl-cg").dash, 2);
    for (size_t i = 0; i < nf; i++)
        if (strncmp(s[i].name, "gsl-", 4) != 0) assert_int_not_equal(s[i].dash, 2);
}

static void test_unknown_names(void **st)
{
    (void)st;
    const ob_style *sp;
    size_t m = ob_style_spares(&sp), hit[64] = {0};
    assert_true(m <= 64);
    char name[32];
    for (int i = 0; i < 400; i++) {
        snprintf(name, sizeof name, "plugin%d", i);
        ob_style a = ob_style_of(name), b = ob_style_of(name);
        assert_false(ob_style_fixed(name));
        assert_string_equal(a.name, name);
        assert_string_equal(a.color, b.color); /* stable */
        size_t k = 0;
        while (k < m && !(strcmp(sp[k].color, a.color) == 0 && sp[k].point == a.point)) k++;
        assert_true(k < m);
        hit[k]++;
    }
    for (size_t k = 0; k < m; k++) assert_true(hit[k] > 0); /* every spare is reachable */
}

static void test_series_colours(void **st)
{
    (void)st;
    double mn = INFINITY;
    for (size_t i = 0; i < OB_N_SERIES_COLORS; i++) {
        assert_true(de(ob_series_color(i), OB_SHADE_LIGHT) >= MIN_DE);
        assert_true(de(ob_series_color(i), OB_SHADE_MID) >= MIN_DE);
        assert_true(de(ob_series_color(i), OB_SHADE_DARK) >= MIN_DE);
        assert_string_equal(ob_series_color(i), ob_series_color(i + OB_N_SERIES_COLORS));
        for (size_t j = i + 1; j < OB_N_SERIES_COLORS; j++) {
            double e = de(ob_series_color(i), ob_series_color(j));
            if (e < MIN_DE) fail_msg("series %zu and %zu: dE %.1f", i, j, e);
            if (e < mn) mn = e;
        }
    }
    printf("closest series colours: dE %.1f\n", mn);
    char t[8];
    ob_color_tint("#000000", 0.6, t);
    assert_string_equal(t, "#999999");
    ob_color_tint("#d62728", 0, t);
    assert_string_equal(t, "#d62728");
    ob_color_tint("#d62728", 1, t);
    assert_string_equal(t, "#ffffff");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lab_conversion),
        cmocka_unit_test(test_colours_apart),
        cmocka_unit_test(test_points_and_dashes),
        cmocka_unit_test(test_unknown_names),
        cmocka_unit_test(test_series_colours),
    };
    return ob_run_tests("style", tests, NULL, NULL);
}
