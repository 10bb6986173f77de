// Boost.JSON compiled into the fuzz build (BOOST_JSON_NO_LIB), instrumented like the code that
// calls it, instead of Debian's prebuilt library.
#include <boost/json/src.hpp>
