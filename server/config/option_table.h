// natterd's options (command line and config file share them): names, types, defaults, help.
#pragma once

#include <boost/program_options/options_description.hpp>

namespace natter::server {

boost::program_options::options_description natterdOptions();

} // namespace natter::server
