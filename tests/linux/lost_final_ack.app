# lost_final_ack: Linux 6.18.44-fc-v782, RTT 20 ms (10 ms each way), no timestamps/SACK/wscale
# application calls, time relative to the first segment at host A;
# '-> result' is what the call returned (on a line of its own when the call took >5 ms)
-0.860565 B listen 80 -> ok
-0.860255 B accept
-0.000148 A connect 10.0.0.2:80
0.020941 A connect 10.0.0.2:80 -> ok
0.033260 B accept -> 10.0.0.1:40000
0.033416 B recv
0.121236 A send 100 -> 100
0.131855 B recv -> 100
0.131963 B recv
0.222205 A close -> ok
0.241148 B recv -> 0 (EOF)
0.341468 B close -> ok
