# The SOP models (Permenpan RB 35/2012) arrive with the SOP issue.
