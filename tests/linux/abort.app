# abort: Linux 6.18.44-fc-v782, RTT 20 ms (10 ms each way), no timestamps/SACK/wscale
# application calls, time relative to the first segment at host A;
# '-> result' is what the call returned (on a line of its own when the call took >5 ms)
-0.401988 B listen 80 -> ok
-0.401758 B accept
-0.000136 A connect 10.0.0.2:80
0.020984 A connect 10.0.0.2:80 -> ok
0.031265 B accept -> 10.0.0.1:40000
0.031395 B recv 100
0.121434 A send 100 -> 100
0.121766 A recv 5
0.132294 B recv 100 -> 100
0.232769 B send 5 -> 5
0.233021 B recv
0.243538 A recv 5 -> 5
0.343971 A setsockopt SO_LINGER {1,0} -> ok
0.344134 A close -> ok
0.355237 B recv -> error ECONNRESET
0.455673 B close -> ok
