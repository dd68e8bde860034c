// dtoa.cc - the C entry point to double-conversion's shortest round-trip printing.
#include "common/dtoa.h"

#include <double-conversion/double-conversion.h>

using double_conversion::DoubleToStringConverter;
using double_conversion::StringBuilder;

extern "C" size_t ob_dtoa(double v, char *buf)
{
    // Like "%.17g" in form: exponent notation below 1e-4 and from 1e17 on; "1e-07" style
    // exponents are written as "1e-7", which every CSV reader accepts.
    static const DoubleToStringConverter conv(DoubleToStringConverter::NO_FLAGS, "inf", "nan",
                                              'e', -4, 17, 0, 0);
    StringBuilder sb(buf, OB_DTOA_MAX);
    conv.ToShortest(v, &sb);
    size_t n = static_cast<size_t>(sb.position());
    sb.Finalize();
    return n;
}
