/* test_figopts.c - the figure options of plots/figopts.h and the figures they shape:
 * the parsers take what the docs say and refuse the rest with a message naming the value;
 * the session's optimizer list filters; the sizes the terminal gets follow the unit. */
#include "tests/e2e.h"
#include "plots/figopts.h"

static int setup(void **st)
{
    (void)st;
    return e2e_setup("figopts");
}

static void test_parse(void **st)
{
    (void)st;
    ob_fig_options o = {0};
    ob_error e = {{0}};
    assert_int_equal(ob_fig_parse_optimizers("--optimizers", "adam,sgd", &o, &e), OB_OK);
    assert_int_equal(o.n_optimizers, 2);
    assert_string_equal(o.optimizers[1], "sgd");
    assert_int_equal(ob_fig_parse_optimizers("--optimizers", "adam,,sgd", &o, &e), OB_EINVAL);
    assert_non_null(strstr(e.msg, "empty name"));
    assert_int_equal(ob_fig_parse_optimizers("--optimizers", "adam,adam", &o, &e), OB_EINVAL);
    assert_int_equal(ob_fig_parse_box("--box", "-2,2,-1,3", &o, &e), OB_OK);
    assert_true(o.has_box && o.x0 == -2 && o.x1 == 2 && o.y0 == -1 && o.y1 == 3);
    const char *bad_box[] = {"1,0,0,1", "0,1,1,1", "0,1,2", "0,1,2,3,4", "a,1,2,3", "0,1,2,3x",
                             "", "0,1,nan,3"};
    for (size_t k = 0; k < sizeof bad_box / sizeof *bad_box; k++) {
        e.msg[0] = '\0';
        assert_int_equal(ob_fig_parse_box("--box", bad_box[k], &o, &e), OB_EINVAL);
        assert_non_null(strstr(e.msg, "--box"));
    }
    assert_int_equal(ob_fig_parse_size("--size", "3.3x2.5in", &o, &e), OB_OK);
    assert_true(o.unit == OB_FIG_UNIT_IN && o.width == 3.3 && o.height == 2.5);
    assert_int_equal(ob_fig_parse_size("--size", "8x6cm", &o, &e), OB_OK);
    assert_true(o.unit == OB_FIG_UNIT_CM && o.width == 8);
    assert_int_equal(ob_fig_parse_size("--size", "960x640", &o, &e), OB_OK);
    assert_true(o.unit == OB_FIG_UNIT_NONE && o.height == 640);
    const char *bad_size[] = {"960", "x640", "960x", "0x640", "-3x2in", "3x2mm", "3.5x2px",
                              "3x2 in", "20000x10"};
    for (size_t k = 0; k < sizeof bad_size / sizeof *bad_size; k++) {
        e.msg[0] = '\0';
        assert_int_equal(ob_fig_parse_size("--size", bad_size[k], &o, &e), OB_EINVAL);
        assert_non_null(strstr(e.msg, bad_size[k]));
    }
    assert_int_equal(ob_fig_parse_font_size("--font-size", "9", &o, &e), OB_OK);
    assert_true(o.font_size == 9);
    assert_int_equal(ob_fig_parse_font_size("--font-size", "2", &o, &e), OB_EINVAL);
    assert_int_equal(ob_fig_parse_format("--format", "tex", &o, &e), OB_OK);
    assert_int_equal(ob_fig_parse_format("--format", "eps", &o, &e), OB_EINVAL);
    assert_non_null(strstr(e.msg, "eps"));
}

/* the size's unit must fit the format: pixels for png, inches or cm for the others */
static void test_check(void **st)
{
    (void)st;
    ob_fig_options o = {0};
    ob_error e = {{0}};
    assert_int_equal(ob_fig_parse_size("--size", "3.3x2.5in", &o, &e), OB_OK);
    assert_int_equal(ob_fig_check("--size", &o, &e), OB_EINVAL); /* png */
    assert_non_null(strstr(e.msg, "pixels"));
    snprintf(o.format, sizeof o.format, "pdf");
    assert_int_equal(ob_fig_check("--size", &o, &e), OB_OK);
    double w, h;
    ob_fig_page_inches(&o, 960, 640, &w, &h);
    assert_true(w == 3.3 && h == 2.5);
    assert_int_equal(ob_fig_parse_size("--size", "960x640px", &o, &e), OB_OK);
    assert_int_equal(ob_fig_check("--size", &o, &e), OB_EINVAL);
    assert_int_equal(ob_fig_parse_size("--size", "960x640", &o, &e), OB_OK);
    assert_int_equal(ob_fig_check("--size", &o, &e), OB_EINVAL); /* 960 inches */
    assert_int_equal(ob_fig_parse_size("--size", "6x4", &o, &e), OB_OK);
    assert_int_equal(ob_fig_check("--size", &o, &e), OB_OK); /* bare: inches */
    ob_fig_page_inches(&o, 960, 640, &w, &h);
    assert_true(w == 6 && h == 4);
    assert_int_equal(ob_fig_parse_size("--size", "10.16x5.08cm", &o, &e), OB_OK);
    ob_fig_page_inches(&o, 960, 640, &w, &h);
    assert_float_equal(w, 4, 1e-12);
    assert_float_equal(h, 2, 1e-12);
    /* unset: the recipe's pixels at 150 per inch, and its own canvas */
    ob_fig_options none = {0};
    ob_fig_page_inches(&none, 960, 640, &w, &h);
    assert_float_equal(w, 6.4, 1e-12);
    int pw, ph;
    ob_fig_canvas_pixels(&none, 520, 400, &pw, &ph);
    assert_true(pw == 520 && ph == 400);
    assert_true(ob_fig_font_points(&none, 11) == 11);
}

static void test_wants(void **st)
{
    (void)st;
    ob_fig_options o = {0};
    ob_error e = {{0}};
    ob_fig_options_set(NULL);
    assert_true(ob_fig_wants("adam") && ob_fig_wants("anything"));
    assert_int_equal(ob_fig_parse_optimizers("--optimizers", "adam,gd", &o, &e), OB_OK);
    ob_fig_options_set(&o);
    assert_true(ob_fig_wants("adam") && ob_fig_wants("gd"));
    assert_false(ob_fig_wants("adamw") || ob_fig_wants("sgd") || ob_fig_wants("ada"));
    assert_int_equal(ob_fig_options_get()->n_optimizers, 2);
    ob_fig_options_set(NULL);
    assert_true(ob_fig_wants("sgd"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_check),
        cmocka_unit_test(test_wants),
    };
    return ob_run_tests("figopts", tests, setup, teardown);
}
