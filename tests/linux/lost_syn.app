# lost_syn: Linux 6.18.44-fc-v782, RTT 20 ms (10 ms each way), no timestamps/SACK/wscale
# application calls, time relative to the first segment at host A;
# '-> result' is what the call returned (on a line of its own when the call took >5 ms)
-1.703300 B listen 80 -> ok
-1.702711 B accept
-0.000214 A connect 10.0.0.2:80
1.028706 A connect 10.0.0.2:80 -> ok
1.035826 B accept -> 10.0.0.1:40000
1.036139 B recv
1.129191 A close -> ok
1.139766 B recv -> 0 (EOF)
1.244290 B close -> ok
