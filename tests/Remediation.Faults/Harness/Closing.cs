namespace Remediation.Faults.Harness;

internal static class Closing
{
    /// <summary>
    /// After a broker restart, closing a recovered channel or connection can wait forever on an answer that never
    /// comes; the suite must still finish and report.
    /// </summary>
    public static async Task QuietlyAsync(Func<Task> close)
    {
        try
        {
            await close().WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception)
        {
            // Best effort: the vhost is deleted afterwards, which closes whatever is left.
        }
    }
}
