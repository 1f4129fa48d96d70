"""The demo province: tỉnh Nghệ An running its Đề án 06 working group.

Pure data, no I/O: the demo loader turns it into units, officials, a plan, task groups,
tasks (with lead and cooperating units) and indicators. The picture follows the source
articles in ``shared/seeds/``: the plan has 10 groups of tasks, the province registered
38 pilot models (mô hình điểm) of which 6 are done, 20 in progress and 12 not started,
and the indicators are the ones the articles quote (online filing ≥ 70%, driving-licence
renewals online ≥ 50%, at least 2 smart health kiosks, ...).

Units carry their post-2025 names: the departments after the merger of 1 March 2025
(Sở Khoa học và Công nghệ absorbed Thông tin và Truyền thông, Sở Tài chính absorbed
Kế hoạch và Đầu tư, Sở Nội vụ absorbed Lao động – Thương binh và Xã hội, Sở Xây dựng
absorbed Giao thông vận tải; driving-licence testing moved to the police), and the
communes and wards of the two-tier local government in force since 1 July 2025 (names
checked against the ``vietnam-provinces`` package, 2025.10 data, 130 units in Nghệ An).

The officials' names are invented and belong to no real person.

Deadlines are relative: ``deadline_days`` counts days from the day the demo is loaded,
so the demo always has overdue work, work due this week and work due later.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class UnitSeed:
    code: str  # short ASCII code, e.g. "CA", "SYT", "X-DIENCHAU"
    name: str  # full Vietnamese name, e.g. "Sở Y tế", "UBND xã Diễn Châu"
    kind: str  # "standing" | "leadership" | "department" | "commune"
    parent: str | None  # code of the parent unit; the UBND tỉnh unit has None


@dataclass(frozen=True)
class OfficialSeed:
    name: str  # họ, tên đệm, tên
    role: str  # "focal" | "head" | "standing" | "leader" | "admin"
    unit: str  # unit code
    title: str  # chức vụ


@dataclass(frozen=True)
class TaskSeed:
    code: str  # "NV-01.03" for tasks, "MH-07" for pilot models
    group: str  # task group code
    title: str
    kind: str  # "task" | "pilot_model"
    deliverable: str  # sản phẩm: concrete and measurable
    lead: str  # lead unit code (đơn vị chủ trì)
    support: tuple[str, ...]  # cooperating unit codes (đơn vị phối hợp)
    deadline_days: int  # relative to the day the demo is loaded; negative = in the past
    status: str  # "not_started" | "in_progress" | "done" | "maintained"
    progress: int  # 0..100, consistent with status


@dataclass(frozen=True)
class GroupSeed:
    code: str
    title: str


@dataclass(frozen=True)
class IndicatorSeed:
    code: str
    title: str
    kind: str  # "ratio" | "count" | "yes_no"
    unit: str  # responsible unit code
    target: float  # ratio targets in percent, e.g. 70.0; yes_no targets 1.0
    direction: str  # ">=" or "<="


PLAN_CODE = "87/KH-UBND"
PLAN_TITLE = "Kế hoạch triển khai Đề án 06 năm 2026 trên địa bàn tỉnh Nghệ An"

# Communes and wards (post-1 July 2025), in one place so tasks can refer to them all.
_COMMUNES: tuple[tuple[str, str], ...] = (
    ("P-TRUONGVINH", "UBND phường Trường Vinh"),
    ("P-THANHVINH", "UBND phường Thành Vinh"),
    ("P-VINHHUNG", "UBND phường Vinh Hưng"),
    ("P-CUALO", "UBND phường Cửa Lò"),
    ("P-HOANGMAI", "UBND phường Hoàng Mai"),
    ("X-DIENCHAU", "UBND xã Diễn Châu"),
    ("X-QUYNHLUU", "UBND xã Quỳnh Lưu"),
    ("X-DOLUONG", "UBND xã Đô Lương"),
    ("X-KIMLIEN", "UBND xã Kim Liên"),
    ("X-YENTHANH", "UBND xã Yên Thành"),
    ("X-CONCUONG", "UBND xã Con Cuông"),
)

UNITS: tuple[UnitSeed, ...] = (
    UnitSeed("UBND", "UBND tỉnh Nghệ An", "leadership", None),
    UnitSeed("CA", "Công an tỉnh", "standing", "UBND"),
    UnitSeed("VP", "Văn phòng UBND tỉnh", "standing", "UBND"),
    UnitSeed("SYT", "Sở Y tế", "department", "UBND"),
    UnitSeed("SGDDT", "Sở Giáo dục và Đào tạo", "department", "UBND"),
    UnitSeed("STP", "Sở Tư pháp", "department", "UBND"),
    UnitSeed("STC", "Sở Tài chính", "department", "UBND"),
    UnitSeed("SNV", "Sở Nội vụ", "department", "UBND"),
    UnitSeed("SKHCN", "Sở Khoa học và Công nghệ", "department", "UBND"),
    UnitSeed("SXD", "Sở Xây dựng", "department", "UBND"),
    UnitSeed("SNNMT", "Sở Nông nghiệp và Môi trường", "department", "UBND"),
    UnitSeed("SCT", "Sở Công Thương", "department", "UBND"),
    UnitSeed("SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch", "department", "UBND"),
    UnitSeed("BHXH", "Bảo hiểm xã hội tỉnh", "department", "UBND"),
    UnitSeed("NHNN", "Ngân hàng Nhà nước Chi nhánh Khu vực 8", "department", "UBND"),
    UnitSeed("THUE", "Thuế tỉnh Nghệ An", "department", "UBND"),
    UnitSeed("BQLKKT", "Ban Quản lý Khu kinh tế Đông Nam Nghệ An", "department", "UBND"),
    *(UnitSeed(code, name, "commune", "UBND") for code, name in _COMMUNES),
)

OFFICIALS: tuple[OfficialSeed, ...] = (
    # Lãnh đạo UBND tỉnh
    OfficialSeed("Phan Đình Thắng", "leader", "UBND", "Chủ tịch UBND tỉnh"),
    OfficialSeed("Thái Thị Ngọc Lan", "leader", "UBND", "Phó Chủ tịch Thường trực UBND tỉnh"),
    # Cơ quan thường trực: Công an tỉnh
    OfficialSeed("Nguyễn Hữu Phúc", "head", "CA", "Giám đốc Công an tỉnh"),
    OfficialSeed("Hồ Sỹ Long", "standing", "CA", "Trưởng phòng PC06"),
    OfficialSeed("Lê Thị Thu Hà", "standing", "CA", "Phó Trưởng phòng PC06"),
    OfficialSeed("Trần Đình Hiếu", "focal", "CA", "Cán bộ Phòng PC06"),
    # Cơ quan thường trực: Văn phòng UBND tỉnh
    OfficialSeed("Đặng Văn Tuấn", "head", "VP", "Chánh Văn phòng UBND tỉnh"),
    OfficialSeed("Võ Thị Minh Nguyệt", "standing", "VP", "Phó Chánh Văn phòng UBND tỉnh"),
    OfficialSeed("Nguyễn Cảnh Toàn", "standing", "VP", "Chuyên viên Phòng Nội chính"),
    OfficialSeed(
        "Bùi Thị Hồng Nhung",
        "focal",
        "VP",
        "Phó Giám đốc Trung tâm Phục vụ hành chính công tỉnh",
    ),
    OfficialSeed("Lê Quang Huy", "admin", "VP", "Kỹ sư công nghệ thông tin"),
    # Sở, ban, ngành
    OfficialSeed("Hoàng Văn Thịnh", "head", "SYT", "Giám đốc Sở"),
    OfficialSeed("Nguyễn Thị Thanh Tâm", "focal", "SYT", "Phó Trưởng phòng Kế hoạch – Tài chính"),
    OfficialSeed("Cao Xuân Bách", "focal", "SYT", "Chuyên viên Phòng Nghiệp vụ Y"),
    OfficialSeed("Trần Thị Kim Oanh", "head", "SGDDT", "Giám đốc Sở"),
    OfficialSeed("Lê Đức Mạnh", "focal", "SGDDT", "Chánh Văn phòng Sở"),
    OfficialSeed("Hồ Xuân Trường", "head", "STP", "Giám đốc Sở"),
    OfficialSeed("Nguyễn Thị Diệu Linh", "focal", "STP", "Trưởng phòng Hành chính tư pháp"),
    OfficialSeed("Võ Duy Khánh", "head", "STC", "Giám đốc Sở"),
    OfficialSeed("Phan Thị Mai Anh", "focal", "STC", "Phó Trưởng phòng Quản lý ngân sách"),
    OfficialSeed("Đinh Văn Lực", "focal", "STC", "Chuyên viên"),
    OfficialSeed("Nguyễn Thị Hương Giang", "head", "SNV", "Giám đốc Sở"),
    OfficialSeed("Trương Công Minh", "focal", "SNV", "Chuyên viên Phòng Cải cách hành chính"),
    OfficialSeed("Ngô Đức Hải", "head", "SKHCN", "Giám đốc Sở"),
    OfficialSeed("Hà Thị Phương Thảo", "focal", "SKHCN", "Trưởng phòng Chuyển đổi số"),
    OfficialSeed("Hoàng Anh Tuấn", "focal", "SKHCN", "Chuyên viên Phòng Chuyển đổi số"),
    OfficialSeed("Đậu Xuân Quý", "head", "SXD", "Giám đốc Sở"),
    OfficialSeed("Lương Thị Hoài", "focal", "SXD", "Chuyên viên Phòng Quản lý vận tải"),
    OfficialSeed("Chu Văn Định", "head", "SNNMT", "Giám đốc Sở"),
    OfficialSeed("Nguyễn Thị Lài", "focal", "SNNMT", "Phó Trưởng phòng Đất đai"),
    OfficialSeed("Trịnh Minh Quân", "focal", "SNNMT", "Chuyên viên Phòng Đất đai"),
    OfficialSeed("Hồ Thị Bích Ngọc", "head", "SCT", "Giám đốc Sở"),
    OfficialSeed("Phạm Tiến Dũng", "focal", "SCT", "Chuyên viên Phòng Quản lý thương mại"),
    OfficialSeed("Kiều Văn Sơn", "head", "SVHTTDL", "Giám đốc Sở"),
    OfficialSeed("Trần Thị Ánh Tuyết", "focal", "SVHTTDL", "Phó Chánh Văn phòng Sở"),
    OfficialSeed("Lê Khắc Vũ", "focal", "SVHTTDL", "Chuyên viên Phòng Quản lý du lịch"),
    OfficialSeed("Nguyễn Đình Lợi", "head", "BHXH", "Giám đốc Bảo hiểm xã hội tỉnh"),
    OfficialSeed("Võ Thị Hải Yến", "focal", "BHXH", "Trưởng phòng Chế độ bảo hiểm xã hội"),
    OfficialSeed(
        "Lưu Thị Vân Anh",
        "head",
        "NHNN",
        "Giám đốc Ngân hàng Nhà nước Chi nhánh Khu vực 8",
    ),
    OfficialSeed("Đoàn Minh Khoa", "focal", "NHNN", "Chuyên viên Phòng Tổng hợp"),
    OfficialSeed("Tăng Văn Bình", "head", "THUE", "Trưởng Thuế tỉnh"),
    OfficialSeed("Phùng Thị Hạnh", "focal", "THUE", "Chuyên viên"),
    OfficialSeed("Nguyễn Trọng Nghĩa", "head", "BQLKKT", "Trưởng ban"),
    OfficialSeed("Đinh Thị Quỳnh", "focal", "BQLKKT", "Chuyên viên Phòng Quản lý lao động"),
    # UBND xã, phường
    OfficialSeed("Phan Văn Đông", "head", "P-TRUONGVINH", "Chủ tịch UBND phường"),
    OfficialSeed(
        "Nguyễn Thị Thúy Hằng",
        "focal",
        "P-TRUONGVINH",
        "Phó Giám đốc Trung tâm Phục vụ hành chính công phường",
    ),
    OfficialSeed("Lê Minh Tú", "focal", "P-TRUONGVINH", "Công chức Văn phòng HĐND và UBND phường"),
    OfficialSeed("Trần Thị Hoa", "head", "P-THANHVINH", "Chủ tịch UBND phường"),
    OfficialSeed("Hồ Đức Anh", "focal", "P-THANHVINH", "Phó Chủ tịch UBND phường"),
    OfficialSeed("Bùi Đình Khôi", "head", "P-VINHHUNG", "Chủ tịch UBND phường"),
    OfficialSeed(
        "Nguyễn Thị Kiều Trang",
        "focal",
        "P-VINHHUNG",
        "Công chức Văn phòng HĐND và UBND phường",
    ),
    OfficialSeed("Võ Hữu Tài", "head", "P-CUALO", "Chủ tịch UBND phường"),
    OfficialSeed(
        "Đặng Thị Ngân", "focal", "P-CUALO", "Chuyên viên Phòng Kinh tế, Hạ tầng và Đô thị"
    ),
    OfficialSeed("Lê Thị Xuân", "head", "P-HOANGMAI", "Chủ tịch UBND phường"),
    OfficialSeed("Hoàng Trọng Nhân", "focal", "P-HOANGMAI", "Phó Chủ tịch UBND phường"),
    OfficialSeed("Cao Văn Lâm", "head", "X-DIENCHAU", "Chủ tịch UBND xã"),
    OfficialSeed("Phan Thị Huyền", "focal", "X-DIENCHAU", "Phó Chủ tịch UBND xã"),
    OfficialSeed("Trần Văn Sáng", "focal", "X-DIENCHAU", "Công chức Văn phòng HĐND và UBND xã"),
    OfficialSeed("Hồ Ngọc Sơn", "head", "X-QUYNHLUU", "Chủ tịch UBND xã"),
    OfficialSeed(
        "Nguyễn Thị Thu Trang",
        "focal",
        "X-QUYNHLUU",
        "Phó Giám đốc Trung tâm Phục vụ hành chính công xã",
    ),
    OfficialSeed("Thái Bá Hùng", "head", "X-DOLUONG", "Chủ tịch UBND xã"),
    OfficialSeed("Lê Thị Hồng Vân", "focal", "X-DOLUONG", "Công chức Văn phòng HĐND và UBND xã"),
    OfficialSeed("Đinh Thị Thu Hiền", "head", "X-KIMLIEN", "Chủ tịch UBND xã"),
    OfficialSeed("Nguyễn Sỹ Quang", "focal", "X-KIMLIEN", "Chuyên viên Phòng Văn hóa – Xã hội"),
    OfficialSeed("Phạm Xuân Hòa", "head", "X-YENTHANH", "Chủ tịch UBND xã"),
    OfficialSeed("Trương Thị Lan", "focal", "X-YENTHANH", "Phó Chủ tịch UBND xã"),
    OfficialSeed("Lô Văn Thành", "head", "X-CONCUONG", "Chủ tịch UBND xã"),
    OfficialSeed("Vi Thị Nhung", "focal", "X-CONCUONG", "Công chức Văn phòng HĐND và UBND xã"),
    OfficialSeed("Lương Văn Phong", "focal", "X-CONCUONG", "Chuyên viên Phòng Văn hóa – Xã hội"),
)

GROUPS: tuple[GroupSeed, ...] = (
    GroupSeed("N1", "Nhóm nhiệm vụ hoàn thiện thể chế, chính sách"),
    GroupSeed(
        "N2",
        "Nhóm nhiệm vụ phục vụ giải quyết thủ tục hành chính và cung cấp dịch vụ công trực tuyến",
    ),
    GroupSeed("N3", "Nhóm nhiệm vụ phục vụ phát triển kinh tế – xã hội"),
    GroupSeed("N4", "Nhóm nhiệm vụ phục vụ phát triển công dân số"),
    GroupSeed(
        "N5",
        "Nhóm nhiệm vụ hoàn thiện hệ sinh thái phục vụ kết nối, khai thác, bổ sung, "
        "làm giàu dữ liệu dân cư",
    ),
    GroupSeed("N6", "Nhóm nhiệm vụ phục vụ chỉ đạo, điều hành của lãnh đạo các cấp"),
    GroupSeed("N7", "Nhóm nhiệm vụ phát triển hạ tầng, kết nối, chia sẻ dữ liệu"),
    GroupSeed("N8", "Nhóm nhiệm vụ bảo đảm an ninh, an toàn, bảo mật thông tin"),
    GroupSeed(
        "N9",
        "Nhóm nhiệm vụ bảo đảm kinh phí, nguồn nhân lực, tuyên truyền và kiểm tra, đôn đốc",
    ),
    GroupSeed("MH", "Nhóm mô hình điểm thực hiện Đề án 06"),
)

_ALL_COMMUNES = tuple(code for code, _ in _COMMUNES)

_TASKS: tuple[TaskSeed, ...] = (
    # N1 — thể chế
    TaskSeed(
        code="NV-01.01",
        group="N1",
        title=(
            "Tham mưu ban hành Kế hoạch triển khai Đề án 06 năm 2026, phân công rõ người, rõ "
            "việc, rõ thời gian, rõ trách nhiệm, rõ sản phẩm"
        ),
        kind="task",
        deliverable=(
            "Kế hoạch của UBND tỉnh được ban hành; 100% sở, ngành, UBND cấp xã có kế "
            "hoạch thực hiện gửi Cơ quan thường trực"
        ),
        lead="CA",
        support=("VP",),
        deadline_days=-90,
        status="done",
        progress=100,
    ),
    TaskSeed(
        code="NV-01.02",
        group="N1",
        title=(
            "Xây dựng Quy chế phối hợp khai thác, chia sẻ dữ liệu giữa Cơ sở dữ liệu quốc "
            "gia về dân cư và các cơ sở dữ liệu chuyên ngành của tỉnh"
        ),
        kind="task",
        deliverable="Quyết định ban hành Quy chế phối hợp của UBND tỉnh",
        lead="STP",
        support=("CA", "SKHCN"),
        deadline_days=25,
        status="in_progress",
        progress=40,
    ),
    TaskSeed(
        code="NV-01.03",
        group="N1",
        title=(
            "Hoàn thiện hành lang pháp lý để đưa Trung tâm điều hành thông minh (IOC) tỉnh "
            "vào vận hành chính thức"
        ),
        kind="task",
        deliverable=(
            "Quy chế vận hành IOC được ban hành; hợp đồng thuê dịch vụ với VNPT được phê duyệt"
        ),
        lead="SKHCN",
        support=("VP", "CA", "STP", "STC"),
        deadline_days=-34,
        status="in_progress",
        progress=60,
    ),
    TaskSeed(
        code="NV-01.04",
        group="N1",
        title=(
            "Rà soát, đề xuất cắt giảm, đơn giản hóa thủ tục hành chính, giấy tờ công dân "
            "trên cơ sở khai thác dữ liệu dân cư"
        ),
        kind="task",
        deliverable="Quyết định phê duyệt phương án đơn giản hóa tối thiểu 30 thủ tục hành chính",
        lead="VP",
        support=("STP", "SNV"),
        deadline_days=45,
        status="in_progress",
        progress=25,
    ),
    TaskSeed(
        code="NV-01.05",
        group="N1",
        title=(
            "Đưa kết quả thực hiện Đề án 06 vào tiêu chí đánh giá, xếp loại thi đua cuối năm "
            "đối với tập thể, cá nhân và người đứng đầu"
        ),
        kind="task",
        deliverable=(
            "Hướng dẫn tiêu chí chấm điểm thi đua năm 2026 có nội dung Đề án 06 được ban hành"
        ),
        lead="SNV",
        support=("CA",),
        deadline_days=-60,
        status="done",
        progress=100,
    ),
    # N2 — thủ tục hành chính, dịch vụ công trực tuyến
    TaskSeed(
        code="NV-02.01",
        group="N2",
        title="Nâng tỷ lệ hồ sơ thủ tục hành chính nộp trực tuyến",
        kind="task",
        deliverable="Tỷ lệ hồ sơ nộp trực tuyến toàn tỉnh đạt tối thiểu 70%, báo cáo hằng tháng",
        lead="VP",
        support=("SKHCN", "CA", "P-TRUONGVINH", "X-DIENCHAU"),
        deadline_days=40,
        status="in_progress",
        progress=55,
    ),
    TaskSeed(
        code="NV-02.02",
        group="N2",
        title=(
            "Kết nối Hệ thống thông tin giải quyết thủ tục hành chính tỉnh với Hệ thống định "
            "danh và xác thực điện tử VNeID"
        ),
        kind="task",
        deliverable=(
            "100% tài khoản người dân đăng nhập Hệ thống bằng tài khoản định danh điện tử VNeID"
        ),
        lead="SKHCN",
        support=("CA", "VP"),
        deadline_days=-20,
        status="done",
        progress=100,
    ),
    TaskSeed(
        code="NV-02.03",
        group="N2",
        title="Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính và tái sử dụng kết quả số hóa",
        kind="task",
        deliverable=(
            "100% hồ sơ tiếp nhận tại Trung tâm Phục vụ hành chính công được số hóa; "
            "tỷ lệ tái sử dụng kết quả số hóa đạt tối thiểu 50%"
        ),
        lead="VP",
        support=("SNV",),
        deadline_days=3,
        status="in_progress",
        progress=75,
    ),
    TaskSeed(
        code="NV-02.04",
        group="N2",
        title="Tăng tỷ lệ cấp đổi, cấp lại Giấy phép lái xe qua dịch vụ công trực tuyến",
        kind="task",
        deliverable=(
            "Tỷ lệ hồ sơ cấp đổi, cấp lại Giấy phép lái xe nộp trực tuyến đạt tối thiểu 50%"
        ),
        lead="CA",
        support=("SYT", "SXD"),
        deadline_days=-12,
        status="in_progress",
        progress=80,
    ),
    TaskSeed(
        code="NV-02.05",
        group="N2",
        title="Đẩy mạnh thanh toán trực tuyến phí, lệ phí thủ tục hành chính",
        kind="task",
        deliverable=(
            "Tỷ lệ giao dịch thanh toán trực tuyến phí, lệ phí đạt tối thiểu 45% số hồ "
            "sơ trực tuyến"
        ),
        lead="STC",
        support=("VP", "NHNN"),
        deadline_days=60,
        status="in_progress",
        progress=30,
    ),
    TaskSeed(
        code="NV-02.06",
        group="N2",
        title=(
            "Thành lập Tổ hỗ trợ dịch vụ công tại bộ phận một cửa, hướng dẫn người dân tự "
            "nộp hồ sơ trực tuyến"
        ),
        kind="task",
        deliverable=(
            "Tổ hỗ trợ được thành lập; 100% hồ sơ tiếp nhận tại phường được hướng dẫn "
            "nộp trực tuyến"
        ),
        lead="P-TRUONGVINH",
        support=("CA",),
        deadline_days=-7,
        status="in_progress",
        progress=70,
    ),
    TaskSeed(
        code="NV-02.07",
        group="N2",
        title="Số hóa hồ sơ thủ tục hành chính tiếp nhận tại Trung tâm Phục vụ hành chính công xã",
        kind="task",
        deliverable="100% hồ sơ tiếp nhận được số hóa và lưu vào kho dữ liệu của tổ chức, cá nhân",
        lead="X-QUYNHLUU",
        support=("VP",),
        deadline_days=5,
        status="in_progress",
        progress=85,
    ),
    TaskSeed(
        code="NV-02.08",
        group="N2",
        title="Cấp Phiếu lý lịch tư pháp trực tuyến, trả kết quả bản điện tử",
        kind="task",
        deliverable="Tối thiểu 90% hồ sơ cấp Phiếu lý lịch tư pháp được tiếp nhận trực tuyến",
        lead="STP",
        support=("CA",),
        deadline_days=90,
        status="maintained",
        progress=100,
    ),
    # N3 — phát triển kinh tế – xã hội
    TaskSeed(
        code="NV-03.01",
        group="N3",
        title="Chi trả trợ cấp xã hội không dùng tiền mặt cho đối tượng bảo trợ xã hội",
        kind="task",
        deliverable="Tối thiểu 80% đối tượng bảo trợ xã hội nhận trợ cấp qua tài khoản cá nhân",
        lead="SYT",
        support=("NHNN", "X-DIENCHAU", "X-CONCUONG"),
        deadline_days=-18,
        status="in_progress",
        progress=65,
    ),
    TaskSeed(
        code="NV-03.02",
        group="N3",
        title="Chi trả chế độ ưu đãi người có công với cách mạng qua tài khoản cá nhân",
        kind="task",
        deliverable="Tối thiểu 80% người có công và thân nhân nhận chế độ qua tài khoản",
        lead="SNV",
        support=("NHNN", "P-VINHHUNG"),
        deadline_days=30,
        status="in_progress",
        progress=50,
    ),
    TaskSeed(
        code="NV-03.03",
        group="N3",
        title="Thanh toán học phí không dùng tiền mặt tại các cơ sở giáo dục",
        kind="task",
        deliverable=(
            "100% giao dịch học phí giữa học sinh và nhà trường thanh toán không dùng tiền mặt"
        ),
        lead="SGDDT",
        support=("NHNN",),
        deadline_days=1,
        status="in_progress",
        progress=90,
    ),
    TaskSeed(
        code="NV-03.04",
        group="N3",
        title="Thanh toán viện phí không dùng tiền mặt tại các cơ sở khám, chữa bệnh công lập",
        kind="task",
        deliverable=(
            "100% cơ sở khám, chữa bệnh công lập có phương thức thanh toán không dùng tiền mặt"
        ),
        lead="SYT",
        support=("NHNN", "BHXH"),
        deadline_days=20,
        status="in_progress",
        progress=70,
    ),
    TaskSeed(
        code="NV-03.05",
        group="N3",
        title=(
            "Khám, chữa bệnh bằng thẻ Căn cước, tài khoản định danh điện tử thay thẻ Bảo hiểm y tế"
        ),
        kind="task",
        deliverable=(
            "100% cơ sở khám, chữa bệnh bảo hiểm y tế tiếp nhận bệnh nhân bằng thẻ Căn "
            "cước gắn chip hoặc VNeID"
        ),
        lead="SYT",
        support=("BHXH", "CA"),
        deadline_days=35,
        status="maintained",
        progress=100,
    ),
    TaskSeed(
        code="NV-03.06",
        group="N3",
        title=(
            "Chi trả lương hưu, trợ cấp bảo hiểm xã hội, trợ cấp thất nghiệp qua tài khoản cá nhân"
        ),
        kind="task",
        deliverable="Tỷ lệ người hưởng nhận qua tài khoản cá nhân đạt tối thiểu 65% (hiện 55,6%)",
        lead="BHXH",
        support=("NHNN", "CA"),
        deadline_days=50,
        status="in_progress",
        progress=60,
    ),
    TaskSeed(
        code="NV-03.07",
        group="N3",
        title="Thông báo lưu trú qua nền tảng ASM, ứng dụng VNeID tại cơ sở lưu trú du lịch",
        kind="task",
        deliverable="100% cơ sở lưu trú du lịch đã cấp phép thông báo lưu trú qua ASM hoặc VNeID",
        lead="SVHTTDL",
        support=("CA", "P-CUALO"),
        deadline_days=-4,
        status="in_progress",
        progress=88,
    ),
    TaskSeed(
        code="NV-03.08",
        group="N3",
        title="Triển khai hóa đơn điện tử khởi tạo từ máy tính tiền đối với hộ kinh doanh",
        kind="task",
        deliverable=(
            "Tối thiểu 1.500 hộ kinh doanh sử dụng hóa đơn điện tử khởi tạo từ máy tính tiền"
        ),
        lead="THUE",
        support=("SCT",),
        deadline_days=75,
        status="in_progress",
        progress=35,
    ),
    TaskSeed(
        code="NV-03.09",
        group="N3",
        title="Quản lý người lao động trong khu kinh tế, khu công nghiệp trên cơ sở dữ liệu dân cư",
        kind="task",
        deliverable=(
            "Danh sách người lao động tại các khu công nghiệp được đối chiếu với Cơ sở "
            "dữ liệu quốc gia về dân cư"
        ),
        lead="BQLKKT",
        support=("CA", "SNV"),
        deadline_days=110,
        status="not_started",
        progress=0,
    ),
    # N4 — công dân số
    TaskSeed(
        code="NV-04.01",
        group="N4",
        title="Cấp Căn cước, thu nhận hồ sơ định danh điện tử mức độ 2 cho công dân",
        kind="task",
        deliverable=(
            "100% công dân đủ điều kiện được cấp Căn cước; tối thiểu 85% người từ đủ "
            "14 tuổi có tài khoản định danh điện tử mức độ 2"
        ),
        lead="CA",
        support=_ALL_COMMUNES,
        deadline_days=120,
        status="in_progress",
        progress=78,
    ),
    TaskSeed(
        code="NV-04.02",
        group="N4",
        title="Vận động học sinh độ tuổi 4, 5, 12, 13 làm thủ tục cấp thẻ Căn cước",
        kind="task",
        deliverable="100% học sinh trong độ tuổi tại các trường đã làm thủ tục cấp thẻ Căn cước",
        lead="SGDDT",
        support=("CA",),
        deadline_days=-25,
        status="in_progress",
        progress=72,
    ),
    TaskSeed(
        code="NV-04.03",
        group="N4",
        title="Tổ chức cuộc thi tìm hiểu Luật Căn cước, định danh và xác thực điện tử",
        kind="task",
        deliverable="Cuộc thi được tổ chức; có báo cáo tổng kết và quyết định khen thưởng",
        lead="SGDDT",
        support=("CA", "SVHTTDL"),
        deadline_days=-30,
        status="done",
        progress=100,
    ),
    TaskSeed(
        code="NV-04.04",
        group="N4",
        title=(
            "Phổ cập kỹ năng số, hướng dẫn người dân sử dụng VNeID và dịch vụ công trực "
            "tuyến qua Tổ công nghệ số cộng đồng"
        ),
        kind="task",
        deliverable=(
            "100% thôn, khối, bản có Tổ công nghệ số cộng đồng hoạt động; báo cáo số "
            "người được hướng dẫn hằng tháng"
        ),
        lead="SKHCN",
        support=("X-CONCUONG", "X-YENTHANH", "X-DOLUONG"),
        deadline_days=0,
        status="in_progress",
        progress=60,
    ),
    TaskSeed(
        code="NV-04.05",
        group="N4",
        title=(
            "Hướng dẫn kích hoạt tài khoản định danh điện tử mức độ 2 cho người dân trên địa bàn xã"
        ),
        kind="task",
        deliverable=(
            "Tối thiểu 90% người từ đủ 14 tuổi cư trú trên địa bàn xã đã kích hoạt tài khoản"
        ),
        lead="X-DIENCHAU",
        support=("CA",),
        deadline_days=2,
        status="in_progress",
        progress=82,
    ),
    TaskSeed(
        code="NV-04.06",
        group="N4",
        title="Hướng dẫn người cao tuổi, người khuyết tật sử dụng ứng dụng VNeID",
        kind="task",
        deliverable=(
            "Danh sách người được hướng dẫn; 100% khối, xóm tổ chức ít nhất 01 buổi hướng dẫn"
        ),
        lead="P-THANHVINH",
        support=("CA",),
        deadline_days=14,
        status="not_started",
        progress=0,
    ),
    # N5 — hệ sinh thái, dữ liệu dân cư
    TaskSeed(
        code="NV-05.01",
        group="N5",
        title='Duy trì Cơ sở dữ liệu quốc gia về dân cư bảo đảm "đúng, đủ, sạch, sống"',
        kind="task",
        deliverable=(
            "Báo cáo hằng tháng số trường hợp sai lệch được phát hiện và điều chỉnh; "
            "không còn hồ sơ tồn đọng quá 30 ngày"
        ),
        lead="CA",
        support=_ALL_COMMUNES,
        deadline_days=25,
        status="maintained",
        progress=100,
    ),
    TaskSeed(
        code="NV-05.02",
        group="N5",
        title=(
            "Số hóa sổ hộ tịch, làm sạch dữ liệu hộ tịch và đồng bộ với Cơ sở dữ liệu quốc "
            "gia về dân cư"
        ),
        kind="task",
        deliverable=(
            "100% sổ hộ tịch từ năm 1945 đến nay được số hóa, cập nhật vào Cơ sở dữ "
            "liệu hộ tịch điện tử"
        ),
        lead="STP",
        support=("P-TRUONGVINH", "X-QUYNHLUU", "X-DOLUONG", "P-HOANGMAI"),
        deadline_days=-38,
        status="in_progress",
        progress=68,
    ),
    TaskSeed(
        code="NV-05.03",
        group="N5",
        title="Cập nhật, bổ sung, làm sạch dữ liệu đối tượng trẻ em, bảo trợ xã hội",
        kind="task",
        deliverable=(
            "100% hồ sơ đối tượng được đối chiếu, đồng bộ với Cơ sở dữ liệu quốc gia về dân cư"
        ),
        lead="SYT",
        support=("CA", "X-YENTHANH"),
        deadline_days=6,
        status="in_progress",
        progress=55,
    ),
    TaskSeed(
        code="NV-05.04",
        group="N5",
        title=(
            "Làm sạch dữ liệu người có công; thu nhận mẫu ADN thân nhân liệt sĩ chưa xác "
            "định được danh tính"
        ),
        kind="task",
        deliverable=(
            "100% dữ liệu người có công được đồng bộ; danh sách thân nhân đã thu nhận mẫu ADN"
        ),
        lead="SNV",
        support=("CA", "SYT"),
        deadline_days=70,
        status="in_progress",
        progress=20,
    ),
    TaskSeed(
        code="NV-05.05",
        group="N5",
        title=(
            "Số hóa, làm sạch dữ liệu đất đai, kết nối Cơ sở dữ liệu đất đai với Cơ sở dữ "
            "liệu quốc gia về dân cư"
        ),
        kind="task",
        deliverable=(
            "Cơ sở dữ liệu đất đai được kết nối; tối thiểu 70% thửa đất được đối chiếu "
            "thông tin chủ sử dụng"
        ),
        lead="SNNMT",
        support=("CA", "X-YENTHANH", "X-KIMLIEN"),
        deadline_days=150,
        status="in_progress",
        progress=15,
    ),
    TaskSeed(
        code="NV-05.06",
        group="N5",
        title="Làm sạch dữ liệu người tham gia bảo hiểm xã hội, bảo hiểm y tế",
        kind="task",
        deliverable=(
            "Tối thiểu 98% người tham gia được xác thực với Cơ sở dữ liệu quốc gia về dân cư"
        ),
        lead="BHXH",
        support=("CA",),
        deadline_days=-45,
        status="done",
        progress=100,
    ),
    TaskSeed(
        code="NV-05.07",
        group="N5",
        title=(
            "Làm sạch dữ liệu cán bộ, công chức, viên chức, đồng bộ với Cơ sở dữ liệu quốc "
            "gia về dân cư"
        ),
        kind="task",
        deliverable=(
            "100% hồ sơ cán bộ, công chức, viên chức trên Cơ sở dữ liệu của tỉnh được xác thực"
        ),
        lead="SNV",
        support=("CA",),
        deadline_days=-2,
        status="not_started",
        progress=0,
    ),
    TaskSeed(
        code="NV-05.08",
        group="N5",
        title="Làm sạch dữ liệu ngành giáo dục, đồng bộ mã định danh học sinh",
        kind="task",
        deliverable="100% hồ sơ học sinh trên cơ sở dữ liệu ngành có số định danh cá nhân đúng",
        lead="SGDDT",
        support=("CA",),
        deadline_days=10,
        status="done",
        progress=100,
    ),
    TaskSeed(
        code="NV-05.09",
        group="N5",
        title="Làm sạch dữ liệu đăng ký doanh nghiệp, hộ kinh doanh",
        kind="task",
        deliverable=(
            "100% hồ sơ doanh nghiệp có người đại diện theo pháp luật được xác thực số "
            "định danh cá nhân"
        ),
        lead="STC",
        support=("CA", "THUE"),
        deadline_days=45,
        status="not_started",
        progress=0,
    ),
    TaskSeed(
        code="NV-05.10",
        group="N5",
        title=(
            "Rà soát, cập nhật thông tin nhân khẩu phục vụ làm sạch dữ liệu dân cư trên địa "
            "bàn phường"
        ),
        kind="task",
        deliverable="Danh sách hộ, nhân khẩu đã rà soát; 100% sai lệch được chuyển Công an xử lý",
        lead="P-VINHHUNG",
        support=("CA",),
        deadline_days=-15,
        status="not_started",
        progress=0,
    ),
    TaskSeed(
        code="NV-05.11",
        group="N5",
        title=(
            "Xây dựng cơ sở dữ liệu về nhà ở và thị trường bất động sản, kết nối với Cơ sở "
            "dữ liệu quốc gia về dân cư"
        ),
        kind="task",
        deliverable=(
            "Cơ sở dữ liệu được đưa vào vận hành; 100% dự án nhà ở, bất động sản đưa "
            "vào kinh doanh được cập nhật"
        ),
        lead="SXD",
        support=("CA", "SNNMT"),
        deadline_days=85,
        status="in_progress",
        progress=25,
    ),
    # N6 — chỉ đạo, điều hành
    TaskSeed(
        code="NV-06.01",
        group="N6",
        title=(
            "Kết nối dữ liệu dân cư, dữ liệu chuyên ngành lên Trung tâm điều hành thông minh "
            "(IOC) phục vụ chỉ đạo, điều hành"
        ),
        kind="task",
        deliverable="Tối thiểu 10 bộ chỉ số điều hành hiển thị trên IOC, cập nhật hằng ngày",
        lead="SKHCN",
        support=("VP", "CA"),
        deadline_days=80,
        status="in_progress",
        progress=30,
    ),
    TaskSeed(
        code="NV-06.02",
        group="N6",
        title="Tổng hợp, báo cáo định kỳ kết quả thực hiện Đề án 06 cho Chủ tịch UBND tỉnh",
        kind="task",
        deliverable="Báo cáo tháng gửi đúng hạn, số liệu chốt ngày 14 hằng tháng",
        lead="CA",
        support=("VP",),
        deadline_days=4,
        status="maintained",
        progress=100,
    ),
    TaskSeed(
        code="NV-06.03",
        group="N6",
        title=(
            "Kết nối Hệ thống thông tin báo cáo của tỉnh với Hệ thống thông tin báo cáo Chính phủ"
        ),
        kind="task",
        deliverable="Tối thiểu 20 chế độ báo cáo được thực hiện trên hệ thống",
        lead="VP",
        support=("SKHCN",),
        deadline_days=100,
        status="not_started",
        progress=0,
    ),
    # N7 — hạ tầng, kết nối
    TaskSeed(
        code="NV-07.01",
        group="N7",
        title="Mở rộng mạng truyền số liệu chuyên dùng đến 100% UBND cấp xã",
        kind="task",
        deliverable="100% UBND xã, phường kết nối mạng truyền số liệu chuyên dùng cấp II",
        lead="SKHCN",
        support=("X-CONCUONG", "X-KIMLIEN"),
        deadline_days=30,
        status="in_progress",
        progress=65,
    ),
    TaskSeed(
        code="NV-07.02",
        group="N7",
        title=(
            "Trang bị thiết bị đọc thẻ Căn cước gắn chip, thiết bị xác thực sinh trắc học "
            "tại bộ phận một cửa"
        ),
        kind="task",
        deliverable=(
            "Bộ phận một cửa xã có tối thiểu 02 thiết bị đọc chip và 01 thiết bị sinh trắc học"
        ),
        lead="X-DOLUONG",
        support=("SKHCN", "STC"),
        deadline_days=-9,
        status="in_progress",
        progress=40,
    ),
    TaskSeed(
        code="NV-07.03",
        group="N7",
        title=(
            "Nâng cấp Nền tảng tích hợp, chia sẻ dữ liệu cấp tỉnh (LGSP) kết nối Cơ sở dữ "
            "liệu quốc gia về dân cư"
        ),
        kind="task",
        deliverable=(
            "LGSP kết nối ổn định; tối thiểu 15 hệ thống chuyên ngành khai thác dữ liệu dân cư"
        ),
        lead="SKHCN",
        support=("CA",),
        deadline_days=-50,
        status="done",
        progress=100,
    ),
    TaskSeed(
        code="NV-07.04",
        group="N7",
        title=(
            "Triển khai Kho quản lý dữ liệu điện tử của tổ chức, cá nhân trên Hệ thống thông "
            "tin giải quyết thủ tục hành chính"
        ),
        kind="task",
        deliverable=(
            "Kho dữ liệu được đưa vào sử dụng; 100% kết quả giải quyết thủ tục hành "
            "chính được lưu vào kho"
        ),
        lead="VP",
        support=("SKHCN",),
        deadline_days=140,
        status="not_started",
        progress=0,
    ),
    # N8 — an ninh, an toàn
    TaskSeed(
        code="NV-08.01",
        group="N8",
        title=(
            "Phê duyệt hồ sơ đề xuất cấp độ an toàn hệ thống thông tin kết nối Cơ sở dữ liệu "
            "quốc gia về dân cư"
        ),
        kind="task",
        deliverable="100% hệ thống thông tin kết nối được phê duyệt cấp độ",
        lead="SKHCN",
        support=("CA",),
        deadline_days=-22,
        status="in_progress",
        progress=50,
    ),
    TaskSeed(
        code="NV-08.02",
        group="N8",
        title=(
            "Kiểm tra, đánh giá an ninh mạng các hệ thống thông tin kết nối Cơ sở dữ liệu "
            "quốc gia về dân cư"
        ),
        kind="task",
        deliverable=(
            "Biên bản kiểm tra tại tối thiểu 10 cơ quan, đơn vị; 100% lỗ hổng phát "
            "hiện được khắc phục"
        ),
        lead="CA",
        support=("SKHCN",),
        deadline_days=65,
        status="in_progress",
        progress=20,
    ),
    TaskSeed(
        code="NV-08.03",
        group="N8",
        title="Tổ chức diễn tập ứng cứu sự cố an toàn thông tin mạng",
        kind="task",
        deliverable="Cuộc diễn tập được tổ chức; có báo cáo đánh giá kết quả",
        lead="SKHCN",
        support=("CA", "VP"),
        deadline_days=170,
        status="not_started",
        progress=0,
    ),
    # N9 — kinh phí, nhân lực, tuyên truyền, kiểm tra
    TaskSeed(
        code="NV-09.01",
        group="N9",
        title="Bố trí kinh phí thực hiện Đề án 06 năm 2026",
        kind="task",
        deliverable="Quyết định giao dự toán kinh phí thực hiện Đề án 06 cho các đơn vị",
        lead="STC",
        support=("CA",),
        deadline_days=-80,
        status="done",
        progress=100,
    ),
    TaskSeed(
        code="NV-09.02",
        group="N9",
        title="Thẩm định, bố trí kinh phí thực hiện hồ sơ sức khỏe điện tử, sổ sức khỏe điện tử",
        kind="task",
        deliverable="Văn bản thẩm định và quyết định phân bổ kinh phí được ban hành",
        lead="STC",
        support=("SYT",),
        deadline_days=-28,
        status="not_started",
        progress=0,
    ),
    TaskSeed(
        code="NV-09.03",
        group="N9",
        title=(
            "Tuyên truyền Đề án 06 trên báo chí, Cổng thông tin điện tử và hệ thống thông tin cơ sở"
        ),
        kind="task",
        deliverable=(
            "Tối thiểu 20 tin, bài, video clip hướng dẫn mỗi quý; số lượt tiếp cận được báo cáo"
        ),
        lead="SVHTTDL",
        support=("CA", "SKHCN"),
        deadline_days=12,
        status="in_progress",
        progress=45,
    ),
    TaskSeed(
        code="NV-09.04",
        group="N9",
        title=(
            "Kiểm tra tiến độ thực hiện Đề án 06 và kỷ cương hành chính tại các sở, ngành, "
            "địa phương"
        ),
        kind="task",
        deliverable="Kế hoạch kiểm tra; thông báo kết luận kiểm tra tại tối thiểu 8 đơn vị",
        lead="SNV",
        support=("CA", "VP"),
        deadline_days=55,
        status="in_progress",
        progress=30,
    ),
    TaskSeed(
        code="NV-09.05",
        group="N9",
        title="Kiện toàn Tổ công tác triển khai Đề án 06 cấp xã sau sắp xếp đơn vị hành chính",
        kind="task",
        deliverable="Quyết định kiện toàn Tổ công tác, phân công rõ người, rõ việc",
        lead="X-YENTHANH",
        support=("CA",),
        deadline_days=-35,
        status="done",
        progress=100,
    ),
    TaskSeed(
        code="NV-09.06",
        group="N9",
        title="Bố trí kinh phí trang thiết bị cho các mô hình điểm cấp xã",
        kind="task",
        deliverable="Dự toán được phê duyệt; thiết bị được mua sắm, bàn giao",
        lead="X-QUYNHLUU",
        support=("STC",),
        deadline_days=-6,
        status="not_started",
        progress=0,
    ),
    TaskSeed(
        code="NV-09.07",
        group="N9",
        title="Tuyên truyền tiện ích Đề án 06 tại khu du lịch biển Cửa Lò",
        kind="task",
        deliverable="Pano, áp phích có mã QR hướng dẫn tại tối thiểu 10 điểm đông khách",
        lead="P-CUALO",
        support=("SVHTTDL",),
        deadline_days=18,
        status="in_progress",
        progress=35,
    ),
    TaskSeed(
        code="NV-09.08",
        group="N9",
        title=(
            "Hướng dẫn người lao động tại các khu công nghiệp trên địa bàn phường giao dịch "
            "bảo hiểm xã hội trực tuyến qua VNeID"
        ),
        kind="task",
        deliverable="Tối thiểu 500 người lao động được hướng dẫn, có danh sách kèm theo",
        lead="P-HOANGMAI",
        support=("BHXH",),
        deadline_days=40,
        status="not_started",
        progress=0,
    ),
    TaskSeed(
        code="NV-09.09",
        group="N9",
        title=(
            "Tuyên truyền sử dụng thẻ Căn cước thay thẻ Bảo hiểm y tế khi khám, chữa bệnh "
            "đến từng xóm"
        ),
        kind="task",
        deliverable="100% xóm được phổ biến qua loa truyền thanh; báo cáo kết quả hằng tháng",
        lead="X-KIMLIEN",
        support=("SYT",),
        deadline_days=-1,
        status="in_progress",
        progress=50,
    ),
)

_PILOT_MODELS: tuple[TaskSeed, ...] = (
    # MH-01..MH-12: the 12 models the province named to speed up (seed 000).
    TaskSeed(
        code="MH-01",
        group="MH",
        title="Triển khai 53 dịch vụ công thiết yếu",
        kind="pilot_model",
        deliverable=(
            "53/53 dịch vụ công thiết yếu cung cấp trực tuyến toàn trình; tỷ lệ hồ sơ "
            "trực tuyến của nhóm dịch vụ đạt tối thiểu 70%"
        ),
        lead="VP",
        support=("SKHCN", "CA"),
        deadline_days=-12,
        status="in_progress",
        progress=80,
    ),
    TaskSeed(
        code="MH-02",
        group="MH",
        title="Xây dựng tối thiểu 20 dịch vụ công không sử dụng hồ sơ giấy",
        kind="pilot_model",
        deliverable=(
            "Tối thiểu 20 dịch vụ công khai thác dữ liệu thay cho giấy tờ, người dân "
            "không phải nộp bản giấy"
        ),
        lead="VP",
        support=("STP", "SKHCN", "CA"),
        deadline_days=25,
        status="in_progress",
        progress=45,
    ),
    TaskSeed(
        code="MH-03",
        group="MH",
        title="Khám, chữa bệnh sử dụng sinh trắc học, KIOSK tự phục vụ",
        kind="pilot_model",
        deliverable=(
            "Tối thiểu 02 KIOSK y tế thông minh đưa vào sử dụng; bệnh viện tuyến tỉnh "
            "xác thực người bệnh bằng sinh trắc học"
        ),
        lead="SYT",
        support=("BHXH", "CA"),
        deadline_days=5,
        status="in_progress",
        progress=60,
    ),
    TaskSeed(
        code="MH-04",
        group="MH",
        title="Triển khai xác thực thẻ Căn cước gắn chip tại các điểm công chứng, chứng thực",
        kind="pilot_model",
        deliverable=(
            "100% tổ chức hành nghề công chứng được trang bị thiết bị đọc chip, xác "
            "thực người yêu cầu công chứng"
        ),
        lead="STP",
        support=("CA",),
        deadline_days=-20,
        status="not_started",
        progress=0,
    ),
    TaskSeed(
        code="MH-05",
        group="MH",
        title="Triển khai nền tảng quản lý lưu trú tại nhà trọ, nhà nghỉ, khách sạn, nhà công vụ",
        kind="pilot_model",
        deliverable="100% cơ sở lưu trú thông báo lưu trú qua nền tảng ASM",
        lead="CA",
        support=("SVHTTDL", "P-CUALO"),
        deadline_days=-60,
        status="done",
        progress=100,
    ),
    TaskSeed(
        code="MH-06",
        group="MH",
        title="Triển khai nền tảng quản lý lưu trú tại cơ sở khám, chữa bệnh",
        kind="pilot_model",
        deliverable=(
            "100% bệnh viện có giường lưu trú thông báo lưu trú người bệnh, người nhà qua ASM"
        ),
        lead="SYT",
        support=("CA",),
        deadline_days=-30,
        status="done",
        progress=100,
    ),
    TaskSeed(
        code="MH-07",
        group="MH",
        title="Triển khai thiết bị giám sát thi cử, sát hạch lái xe",
        kind="pilot_model",
        deliverable=(
            "Thiết bị giám sát lắp đặt tại 100% trung tâm sát hạch lái xe, dữ liệu "
            "truyền về Công an tỉnh"
        ),
        lead="CA",
        support=("SXD", "SGDDT"),
        deadline_days=3,
        status="in_progress",
        progress=70,
    ),
    TaskSeed(
        code="MH-08",
        group="MH",
        title="Triển khai cho vay tín chấp công dân: hộ nghèo, người có công",
        kind="pilot_model",
        deliverable=(
            "Quy trình cho vay tín chấp dựa trên dữ liệu dân cư; tối thiểu 200 khoản "
            "vay được giải ngân"
        ),
        lead="NHNN",
        support=("SNV", "SYT"),
        deadline_days=45,
        status="not_started",
        progress=0,
    ),
    TaskSeed(
        code="MH-09",
        group="MH",
        title="Đảm bảo điều kiện công dân số",
        kind="pilot_model",
        deliverable=(
            "100% người từ đủ 14 tuổi có tài khoản định danh điện tử mức độ 2 và sử "
            "dụng được dịch vụ công trực tuyến"
        ),
        lead="SKHCN",
        support=("CA", "X-DIENCHAU"),
        deadline_days=60,
        status="in_progress",
        progress=35,
    ),
    TaskSeed(
        code="MH-10",
        group="MH",
        title="Chuẩn hóa xác thực tập trung",
        kind="pilot_model",
        deliverable=(
            "Các hệ thống thông tin của tỉnh đăng nhập một lần qua xác thực tập trung kết nối VNeID"
        ),
        lead="SKHCN",
        support=("VP", "CA"),
        deadline_days=-8,
        status="in_progress",
        progress=50,
    ),
    TaskSeed(
        code="MH-11",
        group="MH",
        title="Truyền thông chính sách qua hệ thống LED, pano, áp phích, nền tảng số",
        kind="pilot_model",
        deliverable="Tối thiểu 50 màn hình LED, pano tại trụ sở xã, phường phát nội dung Đề án 06",
        lead="SVHTTDL",
        support=("SKHCN", "P-THANHVINH"),
        deadline_days=30,
        status="not_started",
        progress=0,
    ),
    TaskSeed(
        code="MH-12",
        group="MH",
        title="Triển khai nền tảng đào tạo, giáo dục trực tuyến đại chúng mở trên toàn quốc",
        kind="pilot_model",
        deliverable="Tối thiểu 30.000 lượt người học đăng ký bằng tài khoản định danh điện tử",
        lead="SGDDT",
        support=("SKHCN",),
        deadline_days=90,
        status="not_started",
        progress=0,
    ),
    # Other registered models, sở, ngành and xã, phường alike.
    TaskSeed(
        code="MH-13",
        group="MH",
        title="Sử dụng thẻ Căn cước, VNeID thay thẻ Bảo hiểm y tế trong khám, chữa bệnh",
        kind="pilot_model",
        deliverable="100% cơ sở khám, chữa bệnh bảo hiểm y tế tra cứu thông tin thẻ qua Căn cước",
        lead="SYT",
        support=("BHXH",),
        deadline_days=-75,
        status="done",
        progress=100,
    ),
    TaskSeed(
        code="MH-14",
        group="MH",
        title="Cấp Phiếu lý lịch tư pháp trên ứng dụng VNeID",
        kind="pilot_model",
        deliverable="Người dân nộp hồ sơ và nhận Phiếu lý lịch tư pháp điện tử trên VNeID",
        lead="STP",
        support=("CA",),
        deadline_days=-45,
        status="done",
        progress=100,
    ),
    TaskSeed(
        code="MH-15",
        group="MH",
        title="Liên thông điện tử giấy chứng sinh, giấy báo tử",
        kind="pilot_model",
        deliverable=(
            "100% bệnh viện có khoa sản cấp giấy chứng sinh điện tử liên thông đăng ký khai sinh"
        ),
        lead="SYT",
        support=("STP", "CA"),
        deadline_days=15,
        status="in_progress",
        progress=75,
    ),
    TaskSeed(
        code="MH-16",
        group="MH",
        title="Sổ sức khỏe điện tử tích hợp trên ứng dụng VNeID",
        kind="pilot_model",
        deliverable="Tối thiểu 60% dân số có sổ sức khỏe điện tử hiển thị trên VNeID",
        lead="SYT",
        support=("STC", "CA"),
        deadline_days=40,
        status="in_progress",
        progress=30,
    ),
    TaskSeed(
        code="MH-17",
        group="MH",
        title="Cấp giấy khám sức khỏe lái xe điện tử liên thông",
        kind="pilot_model",
        deliverable="100% cơ sở đủ điều kiện khám sức khỏe lái xe gửi dữ liệu liên thông",
        lead="SYT",
        support=("CA",),
        deadline_days=-5,
        status="in_progress",
        progress=85,
    ),
    TaskSeed(
        code="MH-18",
        group="MH",
        title="Thanh toán học phí không dùng tiền mặt tại trường học",
        kind="pilot_model",
        deliverable=(
            "99,5% học sinh hoặc phụ huynh có tài khoản; trường điểm thu 100% học phí "
            "không dùng tiền mặt"
        ),
        lead="SGDDT",
        support=("NHNN",),
        deadline_days=-10,
        status="done",
        progress=100,
    ),
    TaskSeed(
        code="MH-19",
        group="MH",
        title="Học bạ số cấp tiểu học",
        kind="pilot_model",
        deliverable="100% trường tiểu học sử dụng học bạ số có ký số",
        lead="SGDDT",
        support=("SKHCN",),
        deadline_days=20,
        status="in_progress",
        progress=65,
    ),
    TaskSeed(
        code="MH-20",
        group="MH",
        title="Chi trả an sinh xã hội không dùng tiền mặt",
        kind="pilot_model",
        deliverable="Tối thiểu 80% đối tượng hưởng chính sách an sinh xã hội nhận qua tài khoản",
        lead="SYT",
        support=("NHNN", "X-DIENCHAU", "X-QUYNHLUU"),
        deadline_days=10,
        status="in_progress",
        progress=55,
    ),
    TaskSeed(
        code="MH-21",
        group="MH",
        title=(
            "Chi trả lương hưu, trợ cấp bảo hiểm xã hội qua tài khoản cá nhân trên nền dữ "
            "liệu dân cư"
        ),
        kind="pilot_model",
        deliverable=(
            "Danh sách người hưởng được xác thực với Cơ sở dữ liệu quốc gia về dân cư; "
            "chi trả qua tài khoản"
        ),
        lead="BHXH",
        support=("NHNN", "CA"),
        deadline_days=-15,
        status="done",
        progress=100,
    ),
    TaskSeed(
        code="MH-22",
        group="MH",
        title="Chợ 4.0 – thanh toán không dùng tiền mặt tại chợ truyền thống",
        kind="pilot_model",
        deliverable="Tối thiểu 80% tiểu thương tại chợ điểm có mã QR thanh toán",
        lead="SCT",
        support=("NHNN", "P-VINHHUNG"),
        deadline_days=35,
        status="in_progress",
        progress=40,
    ),
    TaskSeed(
        code="MH-23",
        group="MH",
        title="Xác thực sinh trắc học bằng thẻ Căn cước gắn chip khi giao dịch ngân hàng",
        kind="pilot_model",
        deliverable="100% chi nhánh tổ chức tín dụng trên địa bàn xác thực khách hàng bằng chip",
        lead="NHNN",
        support=("CA",),
        deadline_days=2,
        status="in_progress",
        progress=90,
    ),
    TaskSeed(
        code="MH-24",
        group="MH",
        title="Bán vé, soát vé bằng thẻ Căn cước gắn chip tại Khu di tích Kim Liên",
        kind="pilot_model",
        deliverable="Cổng soát vé đọc chip đưa vào sử dụng; báo cáo số lượt khách hằng tháng",
        lead="SVHTTDL",
        support=("X-KIMLIEN", "CA"),
        deadline_days=50,
        status="not_started",
        progress=0,
    ),
    TaskSeed(
        code="MH-25",
        group="MH",
        title="Sử dụng thẻ Căn cước thay thẻ thư viện tại Thư viện tỉnh",
        kind="pilot_model",
        deliverable="Bạn đọc mượn, trả sách bằng thẻ Căn cước gắn chip",
        lead="SVHTTDL",
        support=("CA",),
        deadline_days=70,
        status="in_progress",
        progress=20,
    ),
    TaskSeed(
        code="MH-26",
        group="MH",
        title="Kiểm soát người lao động ra vào khu công nghiệp bằng thẻ Căn cước gắn chip",
        kind="pilot_model",
        deliverable=(
            "Tối thiểu 03 doanh nghiệp trong khu công nghiệp lắp đặt cổng kiểm soát đọc chip"
        ),
        lead="BQLKKT",
        support=("CA",),
        deadline_days=100,
        status="not_started",
        progress=0,
    ),
    TaskSeed(
        code="MH-27",
        group="MH",
        title="Xác thực hành khách bằng VNeID, sinh trắc học tại Cảng hàng không quốc tế Vinh",
        kind="pilot_model",
        deliverable=(
            "Làm thủ tục bay nội địa bằng tài khoản định danh điện tử, cổng sinh trắc học vận hành"
        ),
        lead="CA",
        support=("SXD",),
        deadline_days=14,
        status="in_progress",
        progress=50,
    ),
    TaskSeed(
        code="MH-28",
        group="MH",
        title="Hóa đơn điện tử khởi tạo từ máy tính tiền tại cơ sở kinh doanh điểm",
        kind="pilot_model",
        deliverable=(
            "100% nhà hàng, siêu thị, cửa hàng xăng dầu tại phường điểm sử dụng hóa đơn điện tử"
        ),
        lead="THUE",
        support=("SCT", "P-TRUONGVINH"),
        deadline_days=-25,
        status="in_progress",
        progress=70,
    ),
    TaskSeed(
        code="MH-29",
        group="MH",
        title="Sử dụng số định danh cá nhân thay mã số thuế cá nhân",
        kind="pilot_model",
        deliverable="100% người nộp thuế cá nhân được chuyển đổi sang số định danh cá nhân",
        lead="THUE",
        support=("CA",),
        deadline_days=120,
        status="not_started",
        progress=0,
    ),
    TaskSeed(
        code="MH-30",
        group="MH",
        title="Xây dựng xã điểm thực hiện Đề án 06",
        kind="pilot_model",
        deliverable="Xã đạt 100% chỉ tiêu của bộ tiêu chí xã điểm; báo cáo đánh giá để nhân rộng",
        lead="X-DIENCHAU",
        support=("CA", "SKHCN"),
        deadline_days=6,
        status="in_progress",
        progress=70,
    ),
    TaskSeed(
        code="MH-31",
        group="MH",
        title="Phường điểm không dùng tiền mặt",
        kind="pilot_model",
        deliverable=(
            "Tối thiểu 90% giao dịch thu phí, lệ phí, dịch vụ công tại phường không dùng tiền mặt"
        ),
        lead="P-TRUONGVINH",
        support=("NHNN", "SCT"),
        deadline_days=80,
        status="in_progress",
        progress=25,
    ),
    TaskSeed(
        code="MH-32",
        group="MH",
        title="Thu phí thu gom rác thải sinh hoạt không dùng tiền mặt",
        kind="pilot_model",
        deliverable="100% hộ gia đình trên địa bàn phường nộp phí qua chuyển khoản hoặc mã QR",
        lead="P-CUALO",
        support=("NHNN",),
        deadline_days=55,
        status="not_started",
        progress=0,
    ),
    TaskSeed(
        code="MH-33",
        group="MH",
        title="Tổ công nghệ số cộng đồng hướng dẫn người dân vùng cao sử dụng VNeID",
        kind="pilot_model",
        deliverable=(
            "100% bản có Tổ công nghệ số cộng đồng; tối thiểu 70% người từ đủ 14 tuổi "
            "kích hoạt VNeID"
        ),
        lead="X-CONCUONG",
        support=("SKHCN", "CA"),
        deadline_days=150,
        status="not_started",
        progress=0,
    ),
    TaskSeed(
        code="MH-34",
        group="MH",
        title="KIOSK dịch vụ công tự phục vụ tại Trung tâm Phục vụ hành chính công phường",
        kind="pilot_model",
        deliverable="Tối thiểu 01 KIOSK tự phục vụ vận hành, tiếp nhận hồ sơ có xác thực VNeID",
        lead="P-HOANGMAI",
        support=("SKHCN", "STC"),
        deadline_days=110,
        status="not_started",
        progress=0,
    ),
    TaskSeed(
        code="MH-35",
        group="MH",
        title="Chứng thực bản sao điện tử từ bản chính tại UBND cấp xã",
        kind="pilot_model",
        deliverable="100% yêu cầu chứng thực bản sao điện tử được giải quyết trên hệ thống",
        lead="X-DOLUONG",
        support=("STP",),
        deadline_days=-3,
        status="in_progress",
        progress=60,
    ),
    TaskSeed(
        code="MH-36",
        group="MH",
        title="Số hóa dữ liệu đất đai, kết nối Cơ sở dữ liệu quốc gia về dân cư tại xã điểm",
        kind="pilot_model",
        deliverable="100% thửa đất của xã điểm có dữ liệu chủ sử dụng khớp với dữ liệu dân cư",
        lead="SNNMT",
        support=("X-YENTHANH", "CA"),
        deadline_days=180,
        status="not_started",
        progress=0,
    ),
    TaskSeed(
        code="MH-37",
        group="MH",
        title="Ký số trên ứng dụng VNeID, chữ ký số công cộng cho người dân",
        kind="pilot_model",
        deliverable=(
            "Tối thiểu 20.000 người dân có chứng thư chữ ký số dùng khi nộp hồ sơ trực tuyến"
        ),
        lead="SKHCN",
        support=("CA",),
        deadline_days=130,
        status="not_started",
        progress=0,
    ),
    TaskSeed(
        code="MH-38",
        group="MH",
        title="Tiếp nhận tin báo, tố giác tội phạm, phản ánh an ninh trật tự qua VNeID",
        kind="pilot_model",
        deliverable="100% tin báo qua VNeID được tiếp nhận, phân loại và phản hồi trong thời hạn",
        lead="CA",
        support=("P-TRUONGVINH", "P-THANHVINH", "P-VINHHUNG"),
        deadline_days=4,
        status="in_progress",
        progress=88,
    ),
)

TASKS: tuple[TaskSeed, ...] = _TASKS + _PILOT_MODELS

INDICATORS: tuple[IndicatorSeed, ...] = (
    IndicatorSeed(
        "CT-01", "Tỷ lệ hồ sơ thủ tục hành chính nộp trực tuyến", "ratio", "VP", 70.0, ">="
    ),
    IndicatorSeed(
        "CT-02",
        "Tỷ lệ hồ sơ cấp đổi, cấp lại Giấy phép lái xe nộp trực tuyến",
        "ratio",
        "CA",
        50.0,
        ">=",
    ),
    IndicatorSeed(
        "CT-03", "Số KIOSK y tế thông minh được đưa vào sử dụng", "count", "SYT", 2.0, ">="
    ),
    IndicatorSeed(
        "CT-04",
        "Tỷ lệ đối tượng an sinh xã hội được chi trả không dùng tiền mặt",
        "ratio",
        "SYT",
        80.0,
        ">=",
    ),
    IndicatorSeed(
        "CT-05",
        "Tỷ lệ giao dịch học phí thanh toán không dùng tiền mặt",
        "ratio",
        "SGDDT",
        100.0,
        ">=",
    ),
    IndicatorSeed(
        "CT-06",
        "Tỷ lệ hồ sơ, kết quả giải quyết thủ tục hành chính được số hóa",
        "ratio",
        "VP",
        80.0,
        ">=",
    ),
    IndicatorSeed(
        "CT-07", "Tỷ lệ hồ sơ thủ tục hành chính giải quyết quá hạn", "ratio", "VP", 3.0, "<="
    ),
    IndicatorSeed(
        "CT-08",
        "Trung tâm điều hành thông minh (IOC) tỉnh vận hành chính thức",
        "yes_no",
        "SKHCN",
        1.0,
        ">=",
    ),
)
