namespace Freshet.Cli.Tests;

/// <summary><c>freshet sql</c> as a real process: scripts, piped statements, errors with positions.</summary>
public sealed class SqlCommandTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("freshet-sql-cli-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private const string Script = """
        -- Orders land in a log topic; the script totals them per customer into an upsert table.
        CREATE TABLE orders (customer STRING, amount INT)
        WITH ('connector' = 'freshet-log', 'topic' = 'orders', 'format' = 'json', 'scan.bounded.mode' = 'latest-offset');

        CREATE TABLE totals (customer STRING, total INT, PRIMARY KEY (customer) NOT ENFORCED)
        WITH ('connector' = 'freshet-log', 'topic' = 'totals', 'key.format' = 'json', 'value.format' = 'json', 'scan.bounded.mode' = 'latest-offset');

        INSERT INTO orders VALUES ('ada', 5), ('bob', 7), ('ada', 10);
        """;

    [Fact]
    public async Task File_RunsStatementsInOrder_AndQueriesPrintTheirChanges()
    {
        var data = Path.Combine(_root, "data");
        var script = Path.Combine(_root, "load.sql");
        await File.WriteAllTextAsync(script, Script);
        var (exit, stdout, stderr) = await FreshetProcess.RunAsync(["sql", "--data", data, "--file", script], timeout: TimeSpan.FromMinutes(2));
        Assert.True(exit == 0, stdout + stderr);
        Assert.Contains("[INFO] OK", stdout);

        // The INSERT job of the first run has finished once its process exited; the second run totals and reads.
        var query = Path.Combine(_root, "query.sql");
        await File.WriteAllTextAsync(query, string.Join('\n', Script.Split('\n').Where(l => !l.StartsWith("INSERT", StringComparison.Ordinal)))
            + "\nSELECT customer, SUM(amount) AS total FROM orders GROUP BY customer;\n");
        (exit, stdout, stderr) = await FreshetProcess.RunAsync(["sql", "--data", data, "--file", query], timeout: TimeSpan.FromMinutes(2));
        Assert.True(exit == 0, stdout + stderr);
        var lines = stdout.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("op | customer | total", lines);
        Assert.Contains("+I | bob | 7", lines);
        Assert.Contains("+U | ada | 15", lines);
    }

    [Fact]
    public async Task File_BadStatement_NamesLineAndColumnInTheScript_AndExits1()
    {
        var script = Path.Combine(_root, "bad.sql");
        await File.WriteAllTextAsync(script, "SHOW TABLES;\n\nSELECT pric FROM\n  (VALUES (1)) AS t(price);\n");
        var (exit, stdout, _) = await FreshetProcess.RunAsync(["sql", "--file", script], timeout: TimeSpan.FromMinutes(1));
        Assert.Equal(1, exit);
        Assert.Contains("[ERROR] Column 'pric' not found", stdout);
        Assert.Contains("at line 3, column 8", stdout);
    }

    [Fact]
    public async Task PipedInput_MultiLineStatements_RunAndErrorsAndFailedJobsDoNotEndTheShell()
    {
        var input = "SELECT x * 2\n  FROM (VALUES (1), (2)) AS t(x);\nSELEC 1;\nSELECT 10 / x FROM (VALUES (0)) AS t(x);\nSHOW\n TABLES;\nQUIT;\n";
        var (exit, stdout, stderr) = await FreshetProcess.RunAsync(["sql"], stdin: input, timeout: TimeSpan.FromMinutes(1));
        Assert.True(exit == 0, stdout + stderr);
        Assert.Contains("+I | 2", stdout);
        Assert.Contains("+I | 4", stdout);
        Assert.Contains("[ERROR]", stdout);
        Assert.Contains("Division by zero", stdout);
        Assert.Contains("table name", stdout);
    }
}
