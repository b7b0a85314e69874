// SPDX-License-Identifier: GPL-3.0-or-later
// The one place that includes QCustomPlot's header: it predates our warning flags and string strictness.
#pragma once

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpedantic"
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#pragma GCC diagnostic ignored "-Wextra"
#include <qcustomplot.h>
#pragma GCC diagnostic pop
