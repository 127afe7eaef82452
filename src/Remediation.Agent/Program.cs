using System.Text;
using Remediation.Agent.Commands;

// Kernel logs may hold bytes that are not UTF-8; decode them as U+FFFD instead of failing the stream.
using var input = new StreamReader(Console.OpenStandardInput(), new UTF8Encoding(false, throwOnInvalidBytes: false));
using var output = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false));

return AgentCommands.Dispatch(args, input, output, Console.Error, TimeProvider.System, Environment.MachineName);
