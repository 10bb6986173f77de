// `natter shell`: an interactive session. Incoming messages, ticks, typing and the presence of
// the open chat's person stream in as they happen; a line of text goes to the current chat
// (one line shows it sent); /commands switch chats and show history.
#pragma once

namespace natter::cli {

struct Invocation;
class Printer;

int runShell(const Invocation& invocation, Printer& printer);

} // namespace natter::cli
