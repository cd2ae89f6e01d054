namespace Freshet.Nexmark;

/// <summary>
/// The Nexmark source table, its three views and queries q0–q8 in Flink SQL, written after the nexmark project's
/// Flink queries (nexmark-flink/src/main/resources/queries; q4 and q5 back-quote `dateTime` as the newer versions do).
/// One copy for the SQL parser and binder tests (Freshet.Sql.Tests) and the end-to-end checks against the LINQ
/// reference (Freshet.Nexmark.Tests). <see cref="NexmarkJsonLogWriter"/> writes events in the form the source table reads.
/// </summary>
public static class NexmarkSql
{
    /// <summary>The source table's topic in <see cref="SourceTable"/>.</summary>
    public const string Topic = "nexmark";

    /// <summary>The source table <c>nexmark</c>: one JSON record per event on the topic <see cref="Topic"/>, its kind in
    /// <c>event_type</c> (0 person, 1 auction, 2 bid) and the event in the ROW of that kind (the other two NULL);
    /// <c>dateTime</c>, the event time, is the rowtime with a 4-second bounded delay.</summary>
    public const string SourceTable = """
        CREATE TABLE nexmark (
            event_type INT,
            person ROW<
                id BIGINT,
                name VARCHAR,
                emailAddress VARCHAR,
                creditCard VARCHAR,
                city VARCHAR,
                state VARCHAR,
                dateTime TIMESTAMP(3),
                extra VARCHAR>,
            auction ROW<
                id BIGINT,
                itemName VARCHAR,
                description VARCHAR,
                initialBid BIGINT,
                reserve BIGINT,
                dateTime TIMESTAMP(3),
                expires TIMESTAMP(3),
                seller BIGINT,
                category BIGINT,
                extra VARCHAR>,
            bid ROW<
                auction BIGINT,
                bidder BIGINT,
                price BIGINT,
                channel VARCHAR,
                url VARCHAR,
                dateTime TIMESTAMP(3),
                extra VARCHAR>,
            dateTime AS
                CASE
                    WHEN event_type = 0 THEN person.dateTime
                    WHEN event_type = 1 THEN auction.dateTime
                    ELSE bid.dateTime
                END,
            WATERMARK FOR dateTime AS dateTime - INTERVAL '4' SECOND
        ) WITH (
            'connector' = 'freshet-log',
            'topic' = 'nexmark',
            'format' = 'json'
        );
        """;

    /// <summary>The views <c>person</c>, <c>auction</c> and <c>bid</c> over <c>nexmark</c>, one per event kind.</summary>
    public const string Views = """
        CREATE VIEW person AS
        SELECT
            person.id,
            person.name,
            person.emailAddress,
            person.creditCard,
            person.city,
            person.state,
            dateTime,
            person.extra
        FROM nexmark WHERE event_type = 0;

        CREATE VIEW auction AS
        SELECT
            auction.id,
            auction.itemName,
            auction.description,
            auction.initialBid,
            auction.reserve,
            dateTime,
            auction.expires,
            auction.seller,
            auction.category,
            auction.extra
        FROM nexmark WHERE event_type = 1;

        CREATE VIEW bid AS
        SELECT
            bid.auction,
            bid.bidder,
            bid.price,
            bid.channel,
            bid.url,
            dateTime,
            bid.extra
        FROM nexmark WHERE event_type = 2;
        """;

    /// <summary>The scripts of q0–q8 by name ("q0" … "q8"): each a blackhole sink table named <c>nexmark_qN</c> and an
    /// <c>INSERT INTO nexmark_qN</c> of the query.</summary>
    public static IReadOnlyDictionary<string, string> Queries { get; } = new Dictionary<string, string>
    {
        {
            "q0", """
            -- Pass through: measures the monitoring overhead.
            CREATE TABLE nexmark_q0 (
              auction BIGINT, bidder BIGINT, price BIGINT, dateTime TIMESTAMP(3), extra VARCHAR
            ) WITH ('connector' = 'blackhole');

            INSERT INTO nexmark_q0
            SELECT auction, bidder, price, dateTime, extra FROM bid;
            """
        },
        {
            "q1", """
            -- Currency conversion: bid prices from dollars to euros.
            CREATE TABLE nexmark_q1 (
              auction BIGINT, bidder BIGINT, price DECIMAL(23, 3), dateTime TIMESTAMP(3), extra VARCHAR
            ) WITH ('connector' = 'blackhole');

            INSERT INTO nexmark_q1
            SELECT
                auction,
                bidder,
                0.908 * price as price, -- convert dollar to euro
                dateTime,
                extra
            FROM bid;
            """
        },
        {
            "q2", """
            -- Selection: bids on a set of auctions.
            CREATE TABLE nexmark_q2 (auction BIGINT, price BIGINT) WITH ('connector' = 'blackhole');

            INSERT INTO nexmark_q2
            SELECT auction, price FROM bid WHERE MOD(auction, 123) = 0;
            """
        },
        {
            "q3", """
            -- Local item suggestion: people selling in some states in one category.
            CREATE TABLE nexmark_q3 (name VARCHAR, city VARCHAR, state VARCHAR, id BIGINT) WITH ('connector' = 'blackhole');

            INSERT INTO nexmark_q3
            SELECT
                P.name, P.city, P.state, A.id
            FROM
                auction AS A INNER JOIN person AS P on A.seller = P.id
            WHERE
                A.category = 10 and (P.state = 'OR' OR P.state = 'ID' OR P.state = 'CA');
            """
        },
        {
            "q4", """
            -- Average price for a category: the average of the winning bids per category.
            CREATE TABLE nexmark_q4 (id BIGINT, final BIGINT) WITH ('connector' = 'blackhole');

            INSERT INTO nexmark_q4
            SELECT
                Q.category,
                AVG(Q.final)
            FROM (
                SELECT MAX(B.price) AS final, A.category
                FROM auction A, bid B
                WHERE A.id = B.auction AND B.`dateTime` BETWEEN A.`dateTime` AND A.expires
                GROUP BY A.id, A.category
            ) Q
            GROUP BY Q.category;
            """
        },
        {
            "q5", """
            -- Hot items: the auctions with the most bids in each sliding window.
            CREATE TABLE nexmark_q5 (auction BIGINT, num BIGINT) WITH ('connector' = 'blackhole');

            INSERT INTO nexmark_q5
            SELECT AuctionBids.auction, AuctionBids.num
             FROM (
               SELECT
                 auction,
                 count(*) AS num,
                 window_start AS starttime,
                 window_end AS endtime
                 FROM TABLE(
                         HOP(TABLE bid, DESCRIPTOR(`dateTime`), INTERVAL '2' SECOND, INTERVAL '10' SECOND))
                 GROUP BY auction, window_start, window_end
             ) AS AuctionBids
             JOIN (
               SELECT
                 max(CountBids.num) AS maxn,
                 CountBids.starttime,
                 CountBids.endtime
               FROM (
                 SELECT
                   count(*) AS num,
                   window_start AS starttime,
                   window_end AS endtime
                 FROM TABLE(
                            HOP(TABLE bid, DESCRIPTOR(`dateTime`), INTERVAL '2' SECOND, INTERVAL '10' SECOND))
                 GROUP BY auction, window_start, window_end
                 ) AS CountBids
               GROUP BY CountBids.starttime, CountBids.endtime
             ) AS MaxBids
             ON AuctionBids.starttime = MaxBids.starttime AND
                AuctionBids.endtime = MaxBids.endtime AND
                AuctionBids.num >= MaxBids.maxn;
            """
        },
        {
            "q6", """
            -- Average selling price by seller: over the last 10 closed auctions of each seller.
            CREATE TABLE nexmark_q6 (seller VARCHAR, avg_price BIGINT) WITH ('connector' = 'blackhole');

            INSERT INTO nexmark_q6
            SELECT
                Q.seller,
                AVG(Q.final) OVER
                    (PARTITION BY Q.seller ORDER BY Q.dateTime ROWS BETWEEN 10 PRECEDING AND CURRENT ROW)
            FROM (
                SELECT MAX(B.price) AS final, A.seller, B.dateTime
                FROM auction AS A, bid AS B
                WHERE A.id = B.auction and B.dateTime between A.dateTime and A.expires
                GROUP BY A.id, A.seller
            ) AS Q;
            """
        },
        {
            "q7", """
            -- Highest bid: the highest bid in each tumbling window.
            CREATE TABLE nexmark_q7 (
              auction BIGINT, bidder BIGINT, price BIGINT, dateTime TIMESTAMP(3), extra VARCHAR
            ) WITH ('connector' = 'blackhole');

            INSERT INTO nexmark_q7
            SELECT B.auction, B.price, B.bidder, B.dateTime, B.extra
            from bid B
            JOIN (
              SELECT MAX(price) AS maxprice, window_end as dateTime
              FROM TABLE(
                      TUMBLE(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '10' SECOND))
              GROUP BY window_start, window_end
            ) B1
            ON B.price = B1.maxprice
            WHERE B.dateTime BETWEEN B1.dateTime  - INTERVAL '10' SECOND AND B1.dateTime;
            """
        },
        {
            "q8", """
            -- Monitor new users: people who opened an auction in the window they registered in.
            CREATE TABLE nexmark_q8 (id BIGINT, name VARCHAR, stime TIMESTAMP(3)) WITH ('connector' = 'blackhole');

            INSERT INTO nexmark_q8
            SELECT P.id, P.name, P.starttime
            FROM (
              SELECT id, name,
                     window_start AS starttime,
                     window_end AS endtime
              FROM TABLE(
                         TUMBLE(TABLE person, DESCRIPTOR(dateTime), INTERVAL '10' SECOND))
              GROUP BY id, name, window_start, window_end
            ) P
            JOIN (
              SELECT seller,
                     window_start AS starttime,
                     window_end AS endtime
              FROM TABLE(
                         TUMBLE(TABLE auction, DESCRIPTOR(dateTime), INTERVAL '10' SECOND))
              GROUP BY seller, window_start, window_end
            ) A
            ON P.id = A.seller AND P.starttime = A.starttime AND P.endtime = A.endtime;
            """
        },
    };

    /// <summary>
    /// <see cref="SourceTable"/> reading <paramref name="topic"/>, with <c>'scan.bounded.mode' = 'latest-offset'</c>
    /// when <paramref name="bounded"/> (the scan ends at the offsets that were the end when it started).
    /// </summary>
    public static string CreateSourceTable(string topic, bool bounded)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        var options = $"'topic' = '{topic.Replace("'", "''", StringComparison.Ordinal)}'" + (bounded ? ",\n    'scan.bounded.mode' = 'latest-offset'" : "");
        return SourceTable.Replace("'topic' = 'nexmark'", options, StringComparison.Ordinal);
    }

    /// <summary>The query that the script of <paramref name="name"/> inserts into its sink (the text after
    /// <c>INSERT INTO nexmark_qN</c>, without the final semicolon), to run as a query of its own.</summary>
    public static string Select(string name)
    {
        var script = Queries[name];
        var insert = "INSERT INTO nexmark_" + name;
        var start = script.IndexOf(insert, StringComparison.Ordinal);
        if (start < 0)
        {
            throw new InvalidOperationException($"The script of {name} has no '{insert}'.");
        }

        return script[(start + insert.Length)..].Trim().TrimEnd(';');
    }
}
