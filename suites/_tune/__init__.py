"""``bench tune``'s knob-specific logic, beside the suites it borrows from (not a suite).

Suite discovery skips this package (its name starts with ``_``); nothing here is named like a
benchmark. ``rules`` holds the selection rules as pure functions, ``conditions`` measures the
situation, ``sweeps`` runs each knob on the mock, ``validate`` A/Bs a proposal with the engine's
verdict rules, ``settings_file`` writes what the analyzer reads, ``session`` ties them together.
"""
