# Keymap files (default.keys is also compiled into fdesk).
