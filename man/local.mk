# SPDX-License-Identifier: MIT
dist_man_MANS += man/xengt-dm.8 man/xengtctl.8
