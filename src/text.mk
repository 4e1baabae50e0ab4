# Core files of the text area.
