# lost_synack, second outcome (A's retransmitted SYN reached B before B's SYN+ACK timer fired): Linux 6.18.44-fc-v782, RTT 20 ms (10 ms each way), no timestamps/SACK/wscale
# application calls, time relative to the first segment at host A;
# '-> result' is what the call returned (on a line of its own when the call took >5 ms)
-0.649740 B listen 80 -> ok
-0.649379 B accept
-0.000357 A connect 10.0.0.2:80
1.025001 A connect 10.0.0.2:80 -> ok
1.035365 B accept -> 10.0.0.1:40000
1.035587 B recv
1.125562 A close -> ok
1.136150 B recv -> 0 (EOF)
1.236615 B close -> ok
