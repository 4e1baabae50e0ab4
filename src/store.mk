# Core files of the store area.
