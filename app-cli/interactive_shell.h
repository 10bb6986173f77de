// `natter shell`: an interactive session. Incoming messages, ticks, typing and the presence of
// the open chat's person stream in as they happen; a line of text goes to the current chat
// (one line shows it sent); /commands switch chats and show history. On a terminal the line is
// edited with Readline (history, Tab completes "@names", typing notices go to the open chat);
// from a pipe lines are read plainly. In a group, a line whose "@word" names no member whole is
// held back once with a hint ("@Bo matches Bob and Boris").
#pragma once

namespace natter::cli {

struct Invocation;
class Printer;

int runShell(const Invocation& invocation, Printer& printer);

} // namespace natter::cli
