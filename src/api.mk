# Core files of the api area.
