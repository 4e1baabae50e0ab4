# Core files of the sync area.
