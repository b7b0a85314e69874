# SPDX-License-Identifier: GPL-3.0-or-later
# Two-trace alignment: its test suite registers here.
offloadlens_test(tst_alignment)
